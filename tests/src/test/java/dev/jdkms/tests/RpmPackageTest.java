package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Dnf;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jdkms rpm itself: what rpm reads from it, a plain {@code rpm} install and erase (no dnf), and
 * its relation to Fedora's dkms package and to module packages that require dkms.
 */
class RpmPackageTest {
  private static final String RPM = "rpm --dbpath /var/lib/rpm ";

  private static SandboxFamily family;
  private static Sandbox template;
  private static List<String> kernels;

  @BeforeAll
  static void buildTheRepository() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms rpm, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    kernels = Kernels.newest(2);
    family = SandboxFamily.create("RpmPackageTest");
    template = family.sandbox("template");
    Dnf.prepare(template, kernels).requireSuccess();
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  private static Sandbox fork(String name) {
    return family.fork(template, name);
  }

  private static String installed(String module, String kernel) {
    return module + "/1.0, " + kernel + ", " + Kernels.arch() + ": installed";
  }

  @Test
  void rpmReadsTheTriggersAndTheRelations() {
    Result r =
        template.sh(
            RPM
                + "-qp --filetriggers --info --requires --provides --conflicts --obsoletes "
                + Dnf.jdkmsRpm());
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .contains(
            "filetriggerun scriptlet (using /bin/sh) -- /lib/modules, /usr/lib/modules, /usr/src",
            "transfiletriggerin scriptlet (using /bin/sh) -- /lib/modules, /usr/lib/modules,"
                + " /usr/src",
            "transfiletriggerpostun scriptlet (using /bin/sh) -- /",
            "exec /usr/lib/jdkms/bin/jdkms hook rpm removing \"$PPID\"",
            "exec /usr/lib/jdkms/bin/jdkms hook rpm installed \"$PPID\"",
            "exec /usr/lib/jdkms/bin/jdkms hook rpm finish \"$PPID\"",
            "Name        : jdkms",
            "Architecture: noarch",
            "java-headless >= 1:17",
            "gcc",
            "make",
            "kmod",
            "dkms = 3.4.3",
            "dkms <= 3.4.3",
            "dkms");
    Result conf = template.sh(RPM + "-qp --configfiles " + Dnf.jdkmsRpm());
    assertThat(conf.stdoutLines()).containsExactly("/etc/dkms/framework.conf");
  }

  @Test
  void plainRpmInstallsBuildsAndErasesInOneTransactionEach() {
    Sandbox sb = fork("rpm");
    String k = kernels.get(0);
    Result in =
        sb.sh(
            "cd "
                + Dnf.REPO
                + " && "
                + RPM
                + "-i jdkms-*.rpm jdkms_hello-dkms-1.0-1.noarch.rpm "
                + Dnf.kernelPackage(k)
                + "-1.noarch.rpm");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    assertThat(Dnf.builds(in)).as(in.describe()).isEqualTo(1);
    assertThat(Dnf.engineRuns(in)).as(in.describe()).isEqualTo(1);
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactly(installed("jdkms_hello", k));
    Result java = sb.sh(". /usr/lib/jdkms/lib/java.env && echo $JDKMS_JAVA_FEATURE");
    assertThat(java.stdout().trim()).matches("(1[7-9]|[2-9][0-9])");

    Result out = sb.sh(RPM + "-e jdkms_hello-dkms " + Dnf.kernelPackage(k));
    assertThat(out.exitCode()).as(out.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines()).isEmpty();
    assertThat(sb.sh("find /usr/lib/modules/" + k + " ! -type d 2>/dev/null").stdoutLines())
        .isEmpty();
  }

  @Test
  void modulePackagesRequiringDkmsGetJdkmsAndJdkmsReplacesFedorasDkms() {
    Sandbox sb = fork("dkms");
    String k = kernels.get(0);
    Result pulled = Dnf.dnf(sb, "install", "dkms_jd_test-dkms", Dnf.kernelPackage(k));
    assertThat(pulled.exitCode()).as(pulled.describe()).isZero();
    assertThat(sb.run("rpm", "-q", "jdkms").exitCode()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactly(installed("dkms_jd_test", k));

    Sandbox fedora = fork("fedora");
    Dnf.dnf(fedora, "install", "dkms").requireSuccess();
    Result swap = Dnf.dnf(fedora, "install", "jdkms");
    assertThat(swap.exitCode()).as(swap.describe()).isZero();
    assertThat(fedora.run("rpm", "-q", "jdkms").exitCode()).isZero();
    assertThat(fedora.sh("rpm -q dkms").stdout()).contains("package dkms is not installed");
    Result provides = fedora.sh("rpm -q --whatprovides dkms");
    assertThat(provides.stdout()).startsWith("jdkms-");
  }
}
