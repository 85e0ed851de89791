package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import org.junit.jupiter.api.Test;

/** Actions beyond the basic lifecycle, with upstream dkms 3.4.3's behaviour as the expectation. */
@DkmsTest
class ActionsTest {

  @Test
  void generateMokCreatesAKeyPairOpensslAccepts(Sandbox sb) {
    Result gen = sb.run("dkms", "generate_mok");

    assertThat(gen.exitCode()).as(gen.describe()).isZero();
    assertThat(gen.stdoutLines())
        .contains(
            "Signing key: /var/lib/dkms/mok.key",
            "Public certificate (MOK): /var/lib/dkms/mok.pub");
    Result subject =
        sb.run(
            "openssl",
            "x509",
            "-inform",
            "DER",
            "-in",
            "/var/lib/dkms/mok.pub",
            "-noout",
            "-subject");
    assertThat(subject.stdout()).as(subject.describe()).contains("CN = DKMS module signing key");
    assertThat(sb.run("openssl", "pkey", "-in", "/var/lib/dkms/mok.key", "-noout").exitCode())
        .isZero();
    // A second call keeps the existing pair.
    String before = sb.readFile("/var/lib/dkms/mok.key");
    sb.run("dkms", "generate_mok").requireSuccess();
    assertThat(sb.readFile("/var/lib/dkms/mok.key")).isEqualTo(before);
  }

  @Test
  void rpmSafeUpgradeRemoveOfTheSameVersionIsCancelled(Sandbox sb) {
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    // add and remove run from scriptlets of one `rpm -U`: the same grandparent process (the
    // outer shell stands for rpm; the sandbox's PID 1 has no parent to key the lock on).
    Result r =
        sb.sh(
            "bash -c 'dkms add jdkms_hello/1.0 --rpm_safe_upgrade >/dev/null; true';"
                + " bash -c 'dkms remove jdkms_hello/1.0 --all --rpm_safe_upgrade; echo rc=$?'; true");

    assertThat(r.stdoutLines()).as(r.describe()).contains("rc=0");
    assertThat(r.stderrLines())
        .as(r.describe())
        .contains("Warning: Remove cancelled because --rpm_safe_upgrade scenario detected.");
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactly("jdkms_hello/1.0: added");
    // The lock was consumed: the next remove really removes.
    Result again = sb.sh("dkms remove jdkms_hello/1.0 --all --rpm_safe_upgrade; echo rc=$?");
    assertThat(again.stdoutLines())
        .as(again.describe())
        .contains("Deleting module jdkms_hello/1.0 completely from the DKMS tree.", "rc=0");
  }

  @Test
  void autoinstallBuildsAndInstallsForTheGivenKernel(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String arch = Kernels.arch();
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    sb.run("dkms", "add", "jdkms_hello/1.0").requireSuccess();

    Result auto = sb.run("dkms", "autoinstall", "-k", k);

    assertThat(auto.exitCode()).as(auto.describe()).isZero();
    assertThat(auto.stdoutLines())
        .contains(
            "Autoinstall of module jdkms_hello/1.0 for kernel " + k + " (" + arch + ")",
            "Installing /lib/modules/" + k + "/updates/dkms/jdkms_hello.ko",
            "Autoinstall on " + k + " succeeded for module(s) jdkms_hello.");
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactly("jdkms_hello/1.0, " + k + ", " + arch + ": installed");

    Result prerm = sb.run("dkms", "kernel_prerm", "-k", k);
    assertThat(prerm.exitCode()).as(prerm.describe()).isZero();
    assertThat(prerm.stderrLines())
        .contains("dkms: removing module jdkms_hello/1.0 for kernel " + k + " (" + arch + ")");
    assertThat(sb.exists("/lib/modules/" + k + "/updates/dkms/jdkms_hello.ko")).isFalse();
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactly("jdkms_hello/1.0: added");
  }
}
