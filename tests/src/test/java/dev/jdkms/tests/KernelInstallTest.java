package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Prepared;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel-install plugin {@code 40-jdkms.install} and the boot-time unit {@code jdkms.service},
 * with Debian's real kernel-install (systemd 252) and dracut 059 inside the sandbox: dracut-core
 * from the Debian mirror, and dracut's own {@code 50-dracut.install} (Debian does not ship it) from
 * the {@code dracut_059.orig.tar.xz} of the same mirror. The kernel image is the real vmlinuz of
 * {@code linux-image-K} ({@code apt-get download} + {@code dpkg-deb}); its module tree is the
 * headers-only {@code /lib/modules/K} of the host plus a {@code depmod} index, as a kernel package
 * would leave it. kernel-install is sandboxed through its environment ({@code
 * KERNEL_INSTALL_PLUGINS}, {@code KERNEL_INSTALL_CONF_ROOT} with layout=bls, {@code BOOT_ROOT},
 * {@code MACHINE_ID}).
 */
@DkmsTest
class KernelInstallTest {
  static final String PLUGIN = "/usr/lib/kernel/install.d/40-jdkms.install";
  static final String UNIT = "/usr/lib/systemd/system/jdkms.service";
  static final String MACHINE = "0123456789abcdef0123456789abcdef";
  static final String KI = "/var/tmp/ki";
  static final String K = Kernels.newest(1).get(0);
  static final String ENTRY = KI + "/boot/" + MACHINE + "/" + K;

  /** jdkms installed, dracut ready, the real vmlinuz of K and dracut's plugin at hand. */
  static final Prepared READY =
      new Prepared(
          "kernel-install",
          b ->
              b.setup(
                  String.join(
                      "\n",
                      "set -e",
                      "export DEBIAN_FRONTEND=noninteractive",
                      "apt-get -o DPkg::Lock::Timeout=600 -q install -y --no-install-recommends"
                          + " dracut-core > /var/tmp/apt.log 2>&1 || { cat /var/tmp/apt.log; exit"
                          + " 1; }",
                      "apt-get clean",
                      "mkdir -p " + KI + "/conf " + KI + "/boot " + KI + "/plugins /var/tmp/img",
                      "cd /var/tmp/img",
                      "apt-get download linux-image-" + K + " > /dev/null",
                      "dpkg-deb --fsys-tarfile linux-image-"
                          + K
                          + "_*.deb | tar -x ./boot/vmlinuz-"
                          + K,
                      "rm linux-image-*.deb",
                      // dracut's kernel-install plugin, from the source Debian built dracut-core of
                      "mirror=$(awk '/^URIs:/{print $2; exit}'"
                          + " /etc/apt/sources.list.d/debian.sources)",
                      "v=$(dpkg-query -W -f='${Version}' dracut-core); v=${v%%-*}",
                      "curl -sSf -o dracut.tar.xz \"$mirror/pool/main/d/dracut/dracut_$v.orig.tar.xz\"",
                      "tar -xJOf dracut.tar.xz dracut/install.d/50-dracut.install > "
                          + KI
                          + "/plugins/50-dracut.install",
                      "chmod 755 " + KI + "/plugins/50-dracut.install && rm dracut.tar.xz",
                      "printf 'layout=bls\\ninitrd_generator=dracut\\n' > "
                          + KI
                          + "/conf/install.conf",
                      "echo 'root=/dev/vda ro' > " + KI + "/conf/cmdline",
                      "mkdir -p /etc/kernel /etc/dracut.conf.d",
                      "echo 'root=/dev/vda ro' > /etc/kernel/cmdline",
                      // a small image: the base module and whatever add_drivers names
                      "printf 'hostonly=\"no\"\\ndracutmodules=\" base \"\\nadd_drivers+=\""
                          + " jdkms_hello \"\\ncompress=\"zstd\"\\n' >"
                          + " /etc/dracut.conf.d/jdkms-test.conf",
                      // the kernel's module index, as its package leaves it
                      "depmod -a " + K + " 2> /dev/null",
                      "test -x " + PLUGIN + " && test -f " + UNIT)));

  @BeforeEach
  void onlyForJdkms() {
    assumeTrue(DkmsUnderTest.isJdkms(), "the plugin and the unit are jdkms's");
  }

  private static String fixture(String name, boolean bootCritical) {
    return "cp -a '"
        + Repo.fixture(name + "-1.0")
        + "' /usr/src/ && "
        + (bootCritical
            ? "echo 'REMAKE_INITRD=\"yes\"' >> /usr/src/" + name + "-1.0/dkms.conf && "
            : "")
        + "dkms add "
        + name
        + "/1.0 > /dev/null 2>&1";
  }

  private static String kernelInstall(String verb) {
    return kernelInstallWith(
        verb.equals("add") ? "add " + K + " /var/tmp/img/boot/vmlinuz-" + K : "remove " + K);
  }

  /** kernel-install with {@code args} (e.g. {@code -v add K IMAGE INITRD}), sandboxed. */
  private static String kernelInstallWith(String args) {
    return "KERNEL_INSTALL_PLUGINS='"
        + PLUGIN
        + " "
        + KI
        + "/plugins/50-dracut.install /usr/lib/kernel/install.d/90-loaderentry.install'"
        + " KERNEL_INSTALL_CONF_ROOT="
        + KI
        + "/conf BOOT_ROOT="
        + KI
        + "/boot MACHINE_ID="
        + MACHINE
        + " kernel-install "
        + args;
  }

  private static Sandbox ready(Sandbox sb) {
    return READY.copyFor(sb).withTimeout(Duration.ofMinutes(5));
  }

  @Test
  void addBuildsBeforeDracutSoTheImageHasTheModuleAndRemoveLeavesNothing(Sandbox sandbox) {
    Sandbox sb = ready(sandbox);
    sb.sh(fixture("jdkms_hello", true)).requireSuccess();

    Result add = sb.sh(kernelInstall("add"));

    assertThat(add.exitCode()).as(add.describe()).isZero();
    assertThat(add.stdout())
        .as(add.describe())
        .contains("Autoinstall of module jdkms_hello/1.0 for kernel " + K)
        .contains(
            "initramfs of " + K + ": left as is (the kernel's own hook builds the image next)");
    assertThat(sb.run("dkms", "status", "-k", K).stdoutLines())
        .containsExactly("jdkms_hello/1.0, " + K + ", " + Kernels.arch() + ": installed");
    assertThat(sb.run("lsinitrd", ENTRY + "/initrd").requireSuccess().stdout())
        .contains("lib/modules/" + K + "/updates/dkms/jdkms_hello.ko");
    assertThat(sb.exists(KI + "/boot/loader/entries/" + MACHINE + "-" + K + ".conf")).isTrue();

    Result remove = sb.sh(kernelInstall("remove"));

    assertThat(remove.exitCode()).as(remove.describe()).isZero();
    Result left =
        sb.sh(
            "ls -d /var/lib/dkms/*/*/"
                + K
                + " /var/lib/dkms/*/kernel-"
                + K
                + "-* /lib/modules/"
                + K
                + "/updates /lib/modules/"
                + K
                + "/weak-updates "
                + ENTRY
                + " 2> /dev/null; true");
    assertThat(left.stdout()).as("left behind for " + K).isEmpty();
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactly("jdkms_hello/1.0: added");
  }

  @Test
  void aFailingModuleNeverFailsTheKernelInstall(Sandbox sandbox) {
    Sandbox sb = ready(sandbox);
    sb.sh(fixture("jdkms_broken", false) + " && " + fixture("jdkms_hello", false)).requireSuccess();

    Result add = sb.sh(kernelInstall("add"));

    assertThat(add.exitCode()).as(add.describe()).isZero();
    assertThat(add.stderr())
        .as(add.describe())
        .contains(
            "jdkms: WARNING: kernel "
                + K
                + ": module(s) jdkms_broken/1.0 failed (jdkms exit status 11); the kernel is\n"
                + "jdkms: installed without them.");
    assertThat(add.stdout())
        .as(add.describe())
        .contains("jdkms_broken/1.0")
        .contains("build failed");
    // the other module, the initramfs and the boot entry are made all the same
    assertThat(sb.run("lsinitrd", ENTRY + "/initrd").requireSuccess().stdout())
        .contains("jdkms_hello.ko")
        .doesNotContain("jdkms_broken.ko");
    assertThat(sb.exists(KI + "/boot/loader/entries/" + MACHINE + "-" + K + ".conf")).isTrue();
  }

  @Test
  void aFailingBootCriticalModuleStopsKernelInstallBeforeTheInitramfs(Sandbox sandbox) {
    Sandbox sb = ready(sandbox);
    sb.sh(fixture("jdkms_broken", true)).requireSuccess();

    Result add = sb.sh(kernelInstall("add"));

    // kernel-install returns the plugin's status, jdkms's 11
    assertThat(add.exitCode()).as(add.describe()).isEqualTo(11);
    assertThat(add.stdout())
        .as(add.describe())
        .contains("boot-critical module failed (REMAKE_INITRD=yes): jdkms_broken/1.0 on " + K);
    assertThat(add.stderr())
        .as(add.describe())
        .contains(
            "jdkms: ERROR: kernel "
                + K
                + ": boot-critical module(s) jdkms_broken/1.0 failed (REMAKE_INITRD=yes in");
    // dracut and the loader entry never ran
    assertThat(sb.exists(ENTRY + "/initrd")).isFalse();
    assertThat(sb.exists(KI + "/boot/loader/entries/" + MACHINE + "-" + K + ".conf")).isFalse();
    // the engine's signal the plugin judges by (as the Debian hooks do)
    Result tx =
        sb.run(
            "/usr/lib/jdkms/bin/jdkms",
            "transaction",
            "--failures",
            "/var/tmp/failures",
            "--kernel-added",
            K);
    assertThat(tx.exitCode()).as(tx.describe()).isEqualTo(11);
    assertThat(sb.readFile("/var/tmp/failures"))
        .isEqualTo("jdkms_broken/1.0 " + K + " boot-critical\n");
  }

  @Test
  void kernelInstallAfterAnRpmStyleTriggerFindsTheWorkDone(Sandbox sandbox) {
    Sandbox sb = ready(sandbox);
    sb.sh(fixture("jdkms_hello", false)).requireSuccess();
    String ko = "/lib/modules/" + K + "/updates/dkms/jdkms_hello.ko";

    Result trigger =
        sb.run(
            "/usr/lib/jdkms/bin/jdkms",
            "transaction",
            "--kernel-added",
            K + "=/var/tmp/img/boot/vmlinuz-" + K);
    assertThat(trigger.exitCode()).as(trigger.describe()).isZero();
    assertThat(trigger.stdout()).contains("Autoinstall of module jdkms_hello/1.0");
    String before = sb.run("stat", "-c", "%y", ko).requireSuccess().stdout();

    // verbose, and with an initrd handed over (kernel-install's INITRD argument)
    sb.run("cp", "/var/tmp/img/boot/vmlinuz-" + K, "/var/tmp/img/early.img").requireSuccess();
    Result add =
        sb.sh(
            kernelInstallWith(
                "-v add " + K + " /var/tmp/img/boot/vmlinuz-" + K + " /var/tmp/img/early.img"));

    assertThat(add.exitCode()).as(add.describe()).isZero();
    assertThat(add.stdout()).as(add.describe()).doesNotContain("Autoinstall of module");
    assertThat(add.stderr())
        .as(add.describe())
        .contains("jdkms: jdkms transaction --kernel-added " + K + "=")
        .contains(
            "jdkms: note: kernel "
                + K
                + " comes with a ready-made initrd; modules built now are"
                + " not in it.");
    assertThat(sb.run("stat", "-c", "%y", ko).stdout()).isEqualTo(before);
    assertThat(sb.run("lsinitrd", ENTRY + "/initrd").requireSuccess().stdout())
        .contains("jdkms_hello.ko");
  }

  @Test
  void bootUnitVerifiesAndItsCommandBuildsWhatTheRunningKernelLacks(Sandbox sandbox) {
    Sandbox sb = ready(sandbox);
    Result verify = sb.run("systemd-analyze", "verify", "--man=no", UNIT);
    assertThat(verify.exitCode()).as(verify.describe()).isZero();
    assertThat(verify.stderr()).as(verify.describe()).isEmpty();
    String unit = sb.readFile(UNIT);
    assertThat(unit)
        .contains("Type=oneshot\n", "RemainAfterExit=true\n", "WantedBy=multi-user.target\n")
        .contains("Before=network-pre.target graphical.target\n");
    sb.sh(fixture("jdkms_hello", false)).requireSuccess();
    // ExecStart as systemd runs it for a machine booted into K (%v: the running kernel)
    String exec =
        unit.lines()
            .filter(l -> l.startsWith("ExecStart="))
            .findFirst()
            .orElseThrow()
            .substring("ExecStart=".length())
            .replace("%v", K);

    Result boot = sb.sh(exec);

    assertThat(boot.exitCode()).as(boot.describe()).isZero();
    assertThat(sb.run("dkms", "status", "-k", K).stdoutLines())
        .containsExactly("jdkms_hello/1.0, " + K + ", " + Kernels.arch() + ": installed");
    // a second boot finds nothing to do
    Result again = sb.sh(exec);
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(again.stdout()).as(again.describe()).doesNotContain("Autoinstall of module");
  }
}
