package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.Apt;
import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsUnderTest;
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
 * A real Debian kernel image (linux-image-K for the newest kernel with headers) installed with apt,
 * with initramfs-tools, in a sandbox where the jdkms .deb is installed and a boot-critical module
 * (REMAKE_INITRD=yes) is registered. The image's postinst runs /etc/kernel/postinst.d through
 * run-parts: jdkms's hook must build the module before initramfs-tools generates the image, so
 * {@code lsinitramfs} lists it. An initramfs-tools hook asks for the module (as the initramfs
 * package of a root-filesystem driver would); {@code MODULES=list} keeps the image small and fast.
 */
class DebKernelImageTest {
  private static SandboxFamily family;
  private static Sandbox sb;
  private static String kernel;
  private static Result imageInstall;

  private static final String INITRAMFS_HOOK =
      "#!/bin/sh\n"
          + "case $1 in prereqs) exit 0 ;; esac\n"
          + ". /usr/share/initramfs-tools/hook-functions\n"
          + "manual_add_modules jdkms_hello\n";

  @BeforeAll
  static void installTheKernelImage() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms .deb, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    kernel = Kernels.newest(1).get(0);
    family = SandboxFamily.create("DebKernelImageTest");
    sb = family.sandbox("sandbox");
    Apt.installJdkms(sb).requireSuccess();
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    sb.sh(
            "echo 'REMAKE_INITRD=\"yes\"' >> /usr/src/jdkms_hello-1.0/dkms.conf"
                + " && dkms add jdkms_hello/1.0 > /dev/null"
                + " && mkdir -p /etc/initramfs-tools/conf.d /etc/initramfs-tools/hooks"
                + " && echo MODULES=list > /etc/initramfs-tools/conf.d/jdkms-test")
        .requireSuccess();
    sb.run(
            "bash",
            "-c",
            "printf '%s' \"$1\" > /etc/initramfs-tools/hooks/jdkms-test"
                + " && chmod 755 /etc/initramfs-tools/hooks/jdkms-test",
            "x",
            INITRAMFS_HOOK)
        .requireSuccess();
    imageInstall = Apt.install(sb, "linux-image-" + kernel);
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  private static boolean listsTheModule(String line) {
    return line.endsWith("/lib/modules/" + kernel + "/updates/dkms/jdkms_hello.ko");
  }

  @Test
  void theModuleIsBuiltBeforeTheInitramfsIsGeneratedAndIsInIt() {
    assertThat(imageInstall.exitCode()).as(imageInstall.describe()).isZero();
    List<String> out = imageInstall.outputLines();
    int hook = out.indexOf("/etc/kernel/postinst.d/dkms:");
    int built = -1;
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).matches("jdkms_hello/1\\.0 +" + kernel + " +installed, built in .*")) {
        built = i; // the engine's summary line
      }
    }
    int initramfs = out.indexOf("/etc/kernel/postinst.d/initramfs-tools:");
    assertThat(hook).as(imageInstall.describe()).isGreaterThanOrEqualTo(0);
    assertThat(built).as(imageInstall.describe()).isGreaterThan(hook);
    assertThat(initramfs).as(imageInstall.describe()).isGreaterThan(built);

    Result list = sb.run("lsinitramfs", "/boot/initrd.img-" + kernel);
    assertThat(list.exitCode()).as(list.describe()).isZero();
    assertThat(list.stdoutLines()).anyMatch(DebKernelImageTest::listsTheModule);
    assertThat(sb.run("dkms", "status", "jdkms_hello/1.0", "-k", kernel).stdoutLines())
        .containsExactly("jdkms_hello/1.0, " + kernel + ", " + Kernels.arch() + ": installed");
  }

  @Test
  void aReinstalledBootCriticalModuleUpdatesTheExistingInitramfsOnce() {
    assertThat(imageInstall.exitCode()).as(imageInstall.describe()).isZero();
    Sandbox fork = family.fork(sb, "refresh");
    // What the postinst of a *-dkms package runs on an upgrade: the kernel's image exists now.
    String sum = "sha256sum /boot/initrd.img-" + kernel;
    String before = fork.sh(sum).requireSuccess().stdout();
    Result r = fork.run("/usr/lib/dkms/common.postinst", "jdkms_hello", "1.0", "", "", "0.9");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    // the registered version is torn down and rebuilt in one engine plan, whose initramfs step
    // regenerates the kernel's image once
    assertThat(r.outputLines())
        .as(r.describe())
        .contains(
            "dkms: removing module jdkms_hello/1.0 for kernel "
                + kernel
                + " ("
                + Kernels.arch()
                + ")")
        .containsOnlyOnce(
            "Rebuilding the initramfs of kernel "
                + kernel
                + " (boot-critical (REMAKE_INITRD): jdkms_hello)... done.");
    assertThat(fork.sh(sum).requireSuccess().stdout()).isNotEqualTo(before);
    Result list = fork.run("lsinitramfs", "/boot/initrd.img-" + kernel);
    assertThat(list.stdoutLines()).anyMatch(DebKernelImageTest::listsTheModule);
  }

  @Test
  void headersConfiguredAfterTheImageUpdateItsInitramfsWhenAModuleBelongsInIt() {
    assertThat(imageInstall.exitCode()).as(imageInstall.describe()).isZero();
    Sandbox fork = family.fork(sb, "late-headers");
    // As linux-headers-K's postinst runs the hook when the headers come after the image.
    String hook =
        "dkms unbuild jdkms_hello/1.0 -k "
            + kernel
            + " > /dev/null && DEB_MAINT_PARAMS=configure run-parts --report --exit-on-error --arg="
            + kernel
            + " /etc/kernel/header_postinst.d";

    String sum = "sha256sum /boot/initrd.img-" + kernel;
    String before = fork.sh(sum).requireSuccess().stdout();
    Result critical = fork.sh(hook);
    assertThat(critical.exitCode()).as(critical.describe()).isZero();
    assertThat(critical.outputLines())
        .as(critical.describe())
        .contains(
            "Rebuilding the initramfs of kernel "
                + kernel
                + " (boot-critical (REMAKE_INITRD): jdkms_hello)... done.",
            "initramfs of " + kernel + ": rebuilt (boot-critical (REMAKE_INITRD): jdkms_hello)");
    String afterCritical = fork.sh(sum).requireSuccess().stdout();
    assertThat(afterCritical).isNotEqualTo(before);

    // Not declared boot-critical any more, but inside the image (the initramfs hook put it there).
    fork.sh("sed -i '/^REMAKE_INITRD=/d' /usr/src/jdkms_hello-1.0/dkms.conf").requireSuccess();
    Result inside = fork.sh(hook);
    assertThat(inside.exitCode()).as(inside.describe()).isZero();
    assertThat(inside.outputLines())
        .as(inside.describe())
        .contains("initramfs of " + kernel + ": rebuilt (in the image: jdkms_hello)");
    assertThat(fork.sh(sum).requireSuccess().stdout()).isNotEqualTo(afterCritical);
    Result list = fork.run("lsinitramfs", "/boot/initrd.img-" + kernel);
    assertThat(list.stdoutLines()).anyMatch(DebKernelImageTest::listsTheModule);
  }

  @Test
  void aBootCriticalFailureLeavesTheKernelUnconfiguredWithoutANewInitramfs() {
    assertThat(imageInstall.exitCode()).as(imageInstall.describe()).isZero();
    Sandbox fork = family.fork(sb, "critical");
    fork.addFixture("jdkms_broken-1.0", "/usr/src");
    fork.sh(
            "echo 'REMAKE_INITRD=\"yes\"' >> /usr/src/jdkms_broken-1.0/dkms.conf"
                + " && dkms add jdkms_broken/1.0 > /dev/null")
        .requireSuccess();
    // An in-place upgrade (same release): preinst.d notes it (silently), postinst.d tears the
    // modules down and rebuilds them in one plan.
    Result r = Apt.aptGet(fork, "install", "--reinstall", "linux-image-" + kernel);
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    List<String> out = r.outputLines();
    assertThat(out)
        .as(r.describe())
        .contains(
            "/etc/kernel/postinst.d/dkms:",
            "dkms: removing module jdkms_hello/1.0 for kernel "
                + kernel
                + " ("
                + Kernels.arch()
                + ")")
        .anyMatch(l -> l.matches("\\s+(\\| )?\\S*broken\\.c:\\d+:\\d+: error: .*"))
        .anyMatch(
            l ->
                l.startsWith(
                    "dkms: ERROR: kernel " + kernel + ": boot-critical module(s) jdkms_broken/1.0"))
        .doesNotContain("/etc/kernel/postinst.d/initramfs-tools:");
    Result status = fork.sh("dpkg-query -W -f='${db:Status-Status}' linux-image-" + kernel);
    assertThat(status.stdout()).isEqualTo("half-configured");
    // The other module was rebuilt for the upgraded kernel all the same.
    assertThat(fork.run("dkms", "status", "jdkms_hello/1.0", "-k", kernel).stdoutLines())
        .containsExactly("jdkms_hello/1.0, " + kernel + ", " + Kernels.arch() + ": installed");
  }
}
