package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The main job: a module source in /usr/src is added, built for two kernels, installed, shown by
 * status, then uninstalled and removed without a trace. Expected output is upstream dkms 3.4.3's on
 * Debian 12 (checked by running these tests with JDKMS_IT_SETUP, see tests/README.md).
 */
@DkmsTest
class LifecycleTest {
  private static final String M = "jdkms_hello";
  private static final String MV = "jdkms_hello/1.0";

  @Test
  void addBuildInstallStatusUninstallRemove(Sandbox sb) {
    List<String> kernels = Kernels.newest(2);
    String k1 = kernels.get(0);
    String k2 = kernels.get(1);
    String arch = Kernels.arch();
    sb.addFixture("jdkms_hello-1.0", "/usr/src");

    Result add = sb.run("dkms", "add", MV);
    assertThat(add.exitCode()).as(add.describe()).isZero();
    assertThat(add.outputLines())
        .as(add.describe())
        .contains(
            "Creating symlink /var/lib/dkms/jdkms_hello/1.0/source -> /usr/src/jdkms_hello-1.0");
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactly(MV + ": added");

    Result build = sb.run("dkms", "build", MV, "-k", k1, "-k", k2);
    assertThat(build.exitCode()).as(build.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactlyElementsOf(statusLines(kernels, arch, "built"));

    for (String k : kernels) {
      Result install = sb.run("dkms", "install", MV, "-k", k);
      assertThat(install.exitCode()).as(install.describe()).isZero();
      assertThat(install.outputLines())
          .as(install.describe())
          .contains("Installing /lib/modules/" + k + "/updates/dkms/jdkms_hello.ko");
    }

    for (String k : kernels) {
      // Debian overrides DEST_MODULE_LOCATION="/updates" with /updates/dkms.
      String ko = "/lib/modules/" + k + "/updates/dkms/jdkms_hello.ko";
      assertThat(sb.exists(ko)).as(ko + " installed").isTrue();
      Result vermagic = sb.run("modinfo", "-F", "vermagic", ko).requireSuccess();
      assertThat(vermagic.stdout()).as("vermagic of " + ko).startsWith(k + " SMP");
      assertThat(sb.run("modinfo", "-F", "version", ko).stdout().trim()).isEqualTo("1.0");

      String makeLog = "/var/lib/dkms/jdkms_hello/1.0/" + k + "/" + arch + "/log/make.log";
      assertThat(sb.exists(makeLog)).as(makeLog + " exists").isTrue();
      assertThat(sb.readFile(makeLog).lines()).as(makeLog).contains("# exit code: 0");
    }

    Result status = sb.run("dkms", "status");
    assertThat(status.exitCode()).as(status.describe()).isZero();
    assertThat(status.stdoutLines())
        .as(status.describe())
        .containsExactlyElementsOf(statusLines(kernels, arch, "installed"));
    assertThat(status.stderr()).as(status.describe()).isEmpty();

    // Uninstall from one kernel: the module stays built there, installed on the other.
    Result uninstall = sb.run("dkms", "uninstall", MV, "-k", k1);
    assertThat(uninstall.exitCode()).as(uninstall.describe()).isZero();
    assertThat(uninstall.outputLines())
        .as(uninstall.describe())
        .contains("Deleting /lib/modules/" + k1 + "/updates/dkms/jdkms_hello.ko");
    assertThat(sb.exists("/lib/modules/" + k1 + "/updates/dkms/jdkms_hello.ko")).isFalse();
    assertThat(sb.run("dkms", "status", MV, "-k", k1).stdoutLines())
        .containsExactly(MV + ", " + k1 + ", " + arch + ": built");

    Result remove = sb.run("dkms", "remove", MV, "--all");
    assertThat(remove.exitCode()).as(remove.describe()).isZero();
    assertThat(remove.outputLines())
        .as(remove.describe())
        .contains("Deleting module jdkms_hello/1.0 completely from the DKMS tree.");

    // No trace: tree, module files and status are gone; the source in /usr/src stays.
    assertThat(sb.exists("/var/lib/dkms/" + M)).as("/var/lib/dkms/" + M).isFalse();
    for (String k : kernels) {
      assertThat(sb.exists("/lib/modules/" + k + "/updates/dkms/jdkms_hello.ko")).isFalse();
    }
    Result after = sb.run("dkms", "status");
    assertThat(after.exitCode()).isZero();
    assertThat(after.output()).as(after.describe()).isEmpty();
    assertThat(sb.exists("/usr/src/jdkms_hello-1.0/dkms.conf")).isTrue();
  }

  /** Status lines as upstream prints them: kernels in glob (C collation) order. */
  private static List<String> statusLines(List<String> kernels, String arch, String state) {
    return kernels.stream().sorted().map(k -> MV + ", " + k + ", " + arch + ": " + state).toList();
  }
}
