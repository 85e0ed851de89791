package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A module whose Makefile ignores the kernel dkms builds for (the `$(shell uname -r)` mistake)
 * compiles, but for another kernel. jdkms reads the built module's vermagic and fails the build
 * with make's status 10 instead of installing a module the target kernel would refuse at boot.
 * (Upstream dkms 3.4.3 accepts such a build: this test is jdkms-only.)
 */
@DkmsTest
class WrongKernelTest {
  private static final String BUILD = "/var/lib/dkms/jdkms_wrongkernel/1.0/build";

  @Test
  void moduleBuiltAgainstAnotherKernelsHeadersFailsWithExit10(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String target = ks.get(1);
    String wrong = ks.get(0);
    sb.addFixture("jdkms_wrongkernel-1.0", "/usr/src");
    sb.sh("echo " + wrong + " > /usr/src/jdkms_wrongkernel-1.0/wrong-kernel").requireSuccess();
    assertThat(sb.run("dkms", "add", "jdkms_wrongkernel/1.0").exitCode()).isZero();

    Result build = sb.run("dkms", "build", "jdkms_wrongkernel/1.0", "-k", target);

    assertThat(build.exitCode()).as(build.describe()).isEqualTo(10);
    assertThat(build.stderrLines())
        .as(build.describe())
        .containsSubsequence(
            "Error! Module "
                + BUILD
                + "/jdkms_wrongkernel.ko was built for kernel "
                + wrong
                + ", not "
                + target
                + ".",
            "kernel expected: " + target,
            "Consult " + BUILD + "/make.log for more information.");
    assertThat(build.stderr())
        .as(build.describe())
        .contains("vermagic found: " + wrong + " ")
        .contains("uname -r")
        .contains("KERNELRELEASE");
    // Nothing was built for the target kernel, and nothing installed.
    assertThat(sb.exists("/var/lib/dkms/jdkms_wrongkernel/1.0/" + target)).isFalse();
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactly("jdkms_wrongkernel/1.0: added");
  }

  @Test
  void theSameModuleBuildsWhenItsKernelIsTheTarget(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k = ks.get(0);
    sb.addFixture("jdkms_wrongkernel-1.0", "/usr/src");
    sb.sh("echo " + k + " > /usr/src/jdkms_wrongkernel-1.0/wrong-kernel").requireSuccess();
    assertThat(sb.run("dkms", "add", "jdkms_wrongkernel/1.0").exitCode()).isZero();

    Result build = sb.run("dkms", "build", "jdkms_wrongkernel/1.0", "-k", k);

    assertThat(build.exitCode()).as(build.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactly("jdkms_wrongkernel/1.0, " + k + ", " + Kernels.arch() + ": built");
  }
}
