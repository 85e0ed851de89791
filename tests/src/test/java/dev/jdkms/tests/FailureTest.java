package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import org.junit.jupiter.api.Test;

/** Failures: their exit codes and messages are upstream dkms 3.4.3's (Debian 12). */
@DkmsTest
class FailureTest {

  @Test
  void compilerErrorExits10AndPointsToMakeLog(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String arch = Kernels.arch();
    sb.addFixture("jdkms_broken-1.0", "/usr/src");
    assertThat(sb.run("dkms", "add", "jdkms_broken/1.0").exitCode()).isZero();

    Result build = sb.run("dkms", "build", "jdkms_broken/1.0", "-k", k);

    assertThat(build.exitCode()).as(build.describe()).isEqualTo(10);
    assertThat(build.stderrLines())
        .as(build.describe())
        .containsSubsequence(
            "Error! Bad return status for module build on kernel: " + k + " (" + arch + ")",
            "Consult /var/lib/dkms/jdkms_broken/1.0/build/make.log for more information.");
    // The failed build is kept, with the compiler's complaint in its make.log.
    String makeLog = sb.readFile("/var/lib/dkms/jdkms_broken/1.0/build/make.log");
    assertThat(makeLog).contains("broken.c").contains("error:");
    assertThat(makeLog.lines()).noneMatch("# exit code: 0"::equals);
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactly("jdkms_broken/1.0: added");
  }

  @Test
  void missingHeadersExits21(Sandbox sb) {
    String k = "0.0.0-nonexistent";
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    assertThat(sb.run("dkms", "add", "jdkms_hello/1.0").exitCode()).isZero();

    Result build = sb.run("dkms", "build", "jdkms_hello/1.0", "-k", k);

    assertThat(build.exitCode()).as(build.describe()).isEqualTo(21);
    assertThat(build.stderrLines())
        .as(build.describe())
        .contains(
            "Error! Your kernel headers for kernel "
                + k
                + " cannot be found at /lib/modules/"
                + k
                + "/build or /lib/modules/"
                + k
                + "/source.");
    assertThat(sb.exists("/var/lib/dkms/jdkms_hello/1.0/" + k)).isFalse();
  }

  @Test
  void malformedDkmsConfExits8(Sandbox sb) {
    sb.addFixture("jdkms_malformed-1.0", "/usr/src");

    Result add = sb.run("dkms", "add", "jdkms_malformed/1.0");

    assertThat(add.exitCode()).as(add.describe()).isEqualTo(8);
    assertThat(add.stderrLines())
        .as(add.describe())
        .containsExactly(
            "dkms.conf: Error! 'BUILT_MODULE_NAME' directive ends in '.o' or '.ko' in record #0.",
            "dkms.conf: Error! 'DEST_MODULE_NAME' directive ends in '.o' or '.ko' in record #0.",
            "dkms.conf: Error! Directive 'DEST_MODULE_LOCATION' does not begin with",
            "'/kernel', '/updates', or '/extra' in record #0.",
            "",
            "Error! Bad conf file.",
            "File: /usr/src/jdkms_malformed-1.0/dkms.conf does not represent a valid dkms.conf"
                + " file.");
    assertThat(add.stdout()).as(add.describe()).isEmpty();
    assertThat(sb.exists("/var/lib/dkms/jdkms_malformed")).isFalse();
    assertThat(sb.run("dkms", "status").output()).isEmpty();
  }
}
