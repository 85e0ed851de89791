package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a RHEL-like system, installing a module for kernel A links it into the weak-updates of another
 * installed kernel B when the kABI verdict is compatible (Debian's 6.1.0-NN ABIs have the same
 * CRCs), {@code dkms status} shows it as {@code installed-weak}, and uninstalling removes the link.
 * jdkms-only: upstream hands this to RHEL's weak-modules script.
 */
@DkmsTest
class WeakUpdatesTest {

  @Test
  void installLinksIntoOtherKernelsAndUninstallUnlinks(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String a = ks.get(1);
    String b = ks.get(0);
    String arch = Kernels.arch();
    String link = "/lib/modules/" + b + "/weak-updates/jdkms_hello.ko";
    sb.sh(
            String.join(
                "\n",
                "rm -f /etc/os-release",
                "printf 'ID=almalinux\\nID_LIKE=\"rhel centos fedora\"\\nVERSION_ID=9.4\\n'"
                    + " > /etc/os-release",
                // B is an installed kernel (no modules yet); depmod looks into weak-updates
                "touch /lib/modules/" + b + "/modules.builtin /lib/modules/" + b + "/modules.dep",
                "mkdir -p /etc/depmod.d",
                "echo 'search updates extra built-in weak-updates' > /etc/depmod.d/weak.conf"))
        .requireSuccess();
    // A module built against B's headers tells B's struct module size (B has no modules).
    sb.addFixture("jdkms_wrongkernel-1.0", "/usr/src");
    sb.sh("echo " + b + " > /usr/src/jdkms_wrongkernel-1.0/wrong-kernel").requireSuccess();
    assertThat(sb.run("dkms", "build", "jdkms_wrongkernel/1.0", "-k", b).exitCode()).isZero();
    sb.addFixture("jdkms_hello-1.0", "/usr/src");

    Result install = sb.run("dkms", "install", "jdkms_hello/1.0", "-k", a);

    assertThat(install.exitCode()).as(install.describe()).isZero();
    assertThat(install.stderr()).as(install.describe()).doesNotContain("weak-updates");
    assertThat(sb.sh("readlink " + link).stdout().strip())
        .isEqualTo("/lib/modules/" + a + "/extra/jdkms_hello.ko");
    assertThat(sb.run("dkms", "status", "jdkms_hello").stdoutLines())
        .containsExactly(
            "jdkms_hello/1.0, " + a + ", " + arch + ": installed",
            "jdkms_hello, 1.0, " + b + ", " + arch + ": installed-weak from " + a);

    Result uninstall = sb.run("dkms", "uninstall", "jdkms_hello/1.0", "-k", a);

    assertThat(uninstall.exitCode()).as(uninstall.describe()).isZero();
    assertThat(sb.exists(link)).isFalse();
    assertThat(sb.run("dkms", "status", "jdkms_hello").stdoutLines())
        .containsExactly("jdkms_hello/1.0, " + a + ", " + arch + ": built");
  }
}
