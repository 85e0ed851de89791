package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What jdkms does beyond upstream (README "Deliberate differences"): the tree lock, hostile names
 * and recipes refused before anything is written, a full disk, the built-in signer. Upstream has
 * none of these, so the class only runs against jdkms.
 */
@DkmsTest
class RobustnessTest {

  @BeforeEach
  void onlyJdkms() {
    assumeTrue(DkmsUnderTest.isJdkms(), "jdkms-only behaviour");
  }

  @Test
  void secondProcessWaitsForTheTreeLockAndSaysSo(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    sb.run("dkms", "add", "jdkms_hello/1.0").requireSuccess();
    // A make that takes 3 s keeps the first build inside the lock long enough to be seen.
    sb.sh(
            "echo 'MAKE[0]=\"sleep 3; make -C ${kernel_source_dir}"
                + " M=${dkms_tree}/jdkms_hello/1.0/build\"' > /etc/dkms/jdkms_hello.conf")
        .requireSuccess();

    Result both =
        sb.sh(
            "dkms build jdkms_hello/1.0 -k "
                + k.get(0)
                + " >/tmp/first.log 2>&1 & first=$!; sleep 0.5;"
                + " dkms build jdkms_hello/1.0 -k "
                + k.get(1)
                + " >/tmp/second.log 2>&1; second=$?; wait $first; echo \"rc=$? $second\";"
                + " cat /tmp/second.log");

    assertThat(both.stdoutLines()).as(both.describe()).contains("rc=0 0");
    assertThat(both.stdout())
        .as(both.describe())
        .contains("jdkms: waiting for another dkms process to finish changing the DKMS tree");
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactly(
            "jdkms_hello/1.0, " + k.get(0) + ", " + Kernels.arch() + ": built",
            "jdkms_hello/1.0, " + k.get(1) + ", " + Kernels.arch() + ": built");
  }

  @Test
  void moduleNamesThatLeaveTheTreeAreRefused(Sandbox sb) {
    Result add = sb.run("dkms", "add", "-m", "..", "-v", "1.0");
    assertThat(add.exitCode()).as(add.describe()).isEqualTo(1);
    assertThat(add.stderrLines()).contains("Error! Invalid module name '..'.");

    Result build =
        sb.run("dkms", "build", "jdkms_hello/../../../etc", "-k", Kernels.newest(1).get(0));
    assertThat(build.exitCode()).as(build.describe()).isEqualTo(1);
    assertThat(build.stderrLines()).contains("Error! Invalid module version '../../../etc'.");
    assertThat(sb.exists("/var/lib/dkms/jdkms_hello")).isFalse();
  }

  @Test
  void recipeInstallingOutsideTheKernelTreeIsABadConf(Sandbox sb) {
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    sb.sh(
            "sed -i 's|^DEST_MODULE_LOCATION.*|DEST_MODULE_LOCATION[0]=\"/updates/../../../../etc\"|'"
                + " /usr/src/jdkms_hello-1.0/dkms.conf")
        .requireSuccess();

    Result add = sb.run("dkms", "add", "jdkms_hello/1.0");

    assertThat(add.exitCode()).as(add.describe()).isEqualTo(8);
    assertThat(add.stderrLines())
        .contains(
            "dkms.conf: Error! Directive 'DEST_MODULE_LOCATION' contains a '..' path component"
                + " in record #0.",
            "Error! Bad conf file.");
    assertThat(sb.exists("/var/lib/dkms/jdkms_hello")).isFalse();
  }

  @Test
  void fullDiskFailsCleanlyWithoutAStackTrace(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    // A 200 KiB tree: the source copy fits, the build's objects do not.
    Result r =
        sb.sh(
            "mount -t tmpfs -o size=200k jdkms-full /var/lib/dkms && dkms add jdkms_hello/1.0 &&"
                + " dd if=/dev/zero of=/var/lib/dkms/filler bs=1k count=150 2>/dev/null;"
                + " dkms build jdkms_hello/1.0 -k "
                + k
                + "; echo \"rc=$?\"; dkms status");

    assertThat(r.stdoutLines()).as(r.describe()).noneMatch("rc=0"::equals);
    assertThat(r.output()).as(r.describe()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.stderr()).as(r.describe()).contains("Error!");
    // The failed build is not visible as built: status still says added.
    assertThat(r.stdoutLines()).as(r.describe()).contains("jdkms_hello/1.0: added");
  }

  @Test
  void builtInSignerSignsLikeSignFile(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    sb.sh(
            "mkdir -p /etc/dkms/framework.conf.d && echo 'jdkms_signer=builtin' >"
                + " /etc/dkms/framework.conf.d/signer.conf")
        .requireSuccess();

    Result build = sb.run("dkms", "build", "jdkms_hello/1.0", "-k", k);

    assertThat(build.exitCode()).as(build.describe()).isZero();
    assertThat(build.stdoutLines())
        .contains(
            "Sign command: jdkms built-in signer",
            "Signing key: /var/lib/dkms/mok.key",
            "Public certificate (MOK): /var/lib/dkms/mok.pub",
            "Signing module /var/lib/dkms/jdkms_hello/1.0/build/jdkms_hello.ko");
    String ko =
        "/var/lib/dkms/jdkms_hello/1.0/" + k + "/" + Kernels.arch() + "/module/jdkms_hello.ko";
    Result signer = sb.run("modinfo", "-F", "signer", ko);
    assertThat(signer.stdoutLines()).containsExactly("DKMS module signing key");
    Result serial =
        sb.sh(
            "openssl x509 -serial -inform DER -in /var/lib/dkms/mok.pub -noout | sed 's/serial=//';"
                + " modinfo -F sig_key "
                + ko
                + " | tr -d ':'");
    List<String> lines = serial.stdoutLines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).isEqualToIgnoringCase(lines.get(0));
  }

  @Test
  void failedForcedRebuildKeepsThePreviousBuild(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String arch = Kernels.arch();
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    sb.run("dkms", "install", "jdkms_hello/1.0", "-k", k).requireSuccess();
    String ko = "/var/lib/dkms/jdkms_hello/1.0/" + k + "/" + arch + "/module/jdkms_hello.ko";
    String before = sb.run("sha256sum", ko).stdout();
    // Break the source, then force a rebuild: make fails.
    sb.sh("echo 'this is not C' >> /usr/src/jdkms_hello-1.0/hello.c").requireSuccess();

    Result rebuild = sb.run("dkms", "build", "jdkms_hello/1.0", "-k", k, "--force");

    assertThat(rebuild.exitCode()).as(rebuild.describe()).isEqualTo(10);
    assertThat(sb.run("sha256sum", ko).stdout()).isEqualTo(before);
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactly("jdkms_hello/1.0, " + k + ", " + arch + ": installed");
    assertThat(sb.run("bash", "-c", "ls -a /var/lib/dkms/jdkms_hello/1.0/" + k).stdoutLines())
        .containsExactlyInAnyOrder(".", "..", arch);
  }
}
