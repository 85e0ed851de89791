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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RHEL-style weak-updates when kernel-install adds a kernel without headers. Kernel A (the newest
 * with headers) has jdkms_hello built and installed; kernel B is the other Debian ABI turned into a
 * kernel without headers: its real files from {@code linux-image-B} ({@code apt-get download},
 * {@code dpkg-deb}: vmlinuz, config, modules.builtin/order and a few in-tree modules, which tell
 * its vermagic and {@code struct module} size), its real {@code Module.symvers} as RHEL ships it
 * ({@code /boot/symvers-B.gz}), no {@code build} directory. Debian's two ABIs have the same symbol
 * CRCs, so the module built for A is compatible with B; a changed CRC in B's symvers makes B an
 * incompatible kernel. systemd's 50-depmod.install is in the plugin list: inside the sandbox it
 * indexes the sandbox's own /lib/modules/B.
 */
@DkmsTest
class KernelInstallWeakUpdatesTest {
  static final List<String> KS = Kernels.newest(2);
  static final String A = KS.get(1);
  static final String B = KS.get(0);
  static final String LINK = "/lib/modules/" + B + "/weak-updates/jdkms_hello.ko";
  static final String ALMA =
      "ID=\"almalinux\"\\nID_LIKE=\"rhel centos fedora\"\\nVERSION_ID=\"9.4\"\\n";
  static final String FEDORA = "ID=fedora\\nVERSION_ID=41\\n";

  /** The module installed for A on an AlmaLinux system; B's files staged in /var/tmp/kB. */
  static final Prepared A_INSTALLED =
      new Prepared(
          "a-installed",
          b ->
              b.setup(
                  String.join(
                      "\n",
                      "set -e",
                      "rm -f /etc/os-release && printf '" + ALMA + "' > /etc/os-release",
                      // RHEL's depmod configuration: weak-updates is searched last
                      "mkdir -p /etc/depmod.d",
                      "echo 'search updates extra built-in weak-updates' > /etc/depmod.d/dist.conf",
                      "mkdir -p /var/tmp/kB && cd /var/tmp/kB",
                      "apt-get download linux-image-" + B + " > /dev/null",
                      "dpkg-deb --fsys-tarfile linux-image-"
                          + B
                          + "_*.deb | tar -x ./boot/vmlinuz-"
                          + B
                          + " ./boot/config-"
                          + B
                          + " ./lib/modules/"
                          + B
                          + "/modules.builtin ./lib/modules/"
                          + B
                          + "/modules.builtin.modinfo ./lib/modules/"
                          + B
                          + "/modules.order ./lib/modules/"
                          + B
                          + "/kernel/lib",
                      "rm linux-image-*.deb",
                      "gzip -c /usr/src/linux-headers-"
                          + B
                          + "/Module.symvers > boot/symvers-"
                          + B
                          + ".gz",
                      // B loses its headers: the kernel is installed without them
                      "rm -rf /lib/modules/" + B + " /usr/src/linux-headers-" + B,
                      "cp -a '" + Repo.fixture("jdkms_hello-1.0") + "' /usr/src/",
                      "/usr/lib/jdkms/bin/jdkms transaction --module-added jdkms_hello/1.0"
                          + " > /var/tmp/prepare.log 2>&1 || { cat /var/tmp/prepare.log; exit 1; }",
                      "test -f /lib/modules/" + A + "/extra/jdkms_hello.ko")));

  @BeforeEach
  void onlyForJdkms() {
    assumeTrue(DkmsUnderTest.isJdkms(), "jdkms decides weak-updates itself");
  }

  /**
   * B's package is unpacked, then its scriptlet runs kernel-install add, as Fedora's and RHEL's
   * kernel-core %posttrans does: B has no modules.dep yet when 40-jdkms runs; systemd's own
   * 50-depmod indexes B (with the weak-updates links) after it.
   */
  private static Result addB(Sandbox sb) {
    return sb.sh(
        "cp -a /var/tmp/kB/boot/. /boot/ && cp -a /var/tmp/kB/lib/modules/"
            + B
            + " /lib/modules/ && "
            + kernelInstall("add " + B + " /boot/vmlinuz-" + B));
  }

  private static String kernelInstall(String args) {
    return "mkdir -p /var/tmp/ki/conf /var/tmp/ki/boot && echo layout=bls >"
        + " /var/tmp/ki/conf/install.conf && KERNEL_INSTALL_PLUGINS='"
        + KernelInstallTest.PLUGIN
        + " /usr/lib/kernel/install.d/50-depmod.install"
        + " /usr/lib/kernel/install.d/90-loaderentry.install' KERNEL_INSTALL_CONF_ROOT=/var/tmp/ki/conf"
        + " BOOT_ROOT=/var/tmp/ki/boot MACHINE_ID="
        + KernelInstallTest.MACHINE
        + " kernel-install "
        + args;
  }

  @Test
  void aCompatibleModuleIsLinkedIntoTheNewKernelAndUnlinkedWhenItGoes(Sandbox sandbox) {
    Sandbox sb = A_INSTALLED.copyFor(sandbox);

    Result add = addB(sb);

    assertThat(add.exitCode()).as(add.describe()).isZero();
    assertThat(add.stdout())
        .as(add.describe())
        .contains("weak-updates of " + B + ": linked jdkms_hello/1.0 (from " + A + ")")
        .doesNotContain("Autoinstall of module");
    assertThat(sb.sh("readlink " + LINK).stdout().strip())
        .isEqualTo("/lib/modules/" + A + "/extra/jdkms_hello.ko");
    // 50-depmod indexed B after the plugin: modprobe finds the module there
    assertThat(sb.readFile("/lib/modules/" + B + "/modules.dep"))
        .contains("weak-updates/jdkms_hello.ko:");
    assertThat(sb.run("dkms", "status", "jdkms_hello").stdoutLines())
        .contains("jdkms_hello, 1.0, " + B + ", " + Kernels.arch() + ": installed-weak from " + A);
    // replaying the event (an rpm trigger for the same kernel) changes nothing
    Result again = sb.run("/usr/lib/jdkms/bin/jdkms", "transaction", "--kernel-added", B);
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(sb.sh("readlink " + LINK).stdout().strip())
        .isEqualTo("/lib/modules/" + A + "/extra/jdkms_hello.ko");

    Result remove = sb.sh(kernelInstall("remove " + B));

    assertThat(remove.exitCode()).as(remove.describe()).isZero();
    assertThat(remove.stdout())
        .as(remove.describe())
        .contains("weak-updates of " + B + ": removed 1 link(s) (kernel removed)");
    assertThat(sb.exists(LINK)).isFalse();
    assertThat(sb.exists("/lib/modules/" + B + "/weak-updates")).isFalse();
    assertThat(sb.exists("/lib/modules/" + A + "/extra/jdkms_hello.ko")).isTrue();
  }

  @Test
  void anIncompatibleKernelGetsNoLinkAndTheSummarySaysWhy(Sandbox sandbox) {
    Sandbox sb = A_INSTALLED.copyFor(sandbox);
    // B's kernel exports _printk with another CRC than the one the module was built against
    sb.sh(
            "f=/var/tmp/kB/boot/symvers-"
                + B
                + ".gz && zcat $f | awk 'BEGIN{OFS=\"\\t\"} $2==\"_printk\"{$1=\"0x12345678\"} {print}'"
                + " | gzip > $f.new && mv $f.new $f && zcat $f | grep -q '^0x12345678\t_printk'")
        .requireSuccess();

    Result add = addB(sb);

    assertThat(add.exitCode()).as(add.describe()).isZero();
    assertThat(add.stdout())
        .as(add.describe())
        .contains(
            "weak-updates of "
                + B
                + ": not linked: jdkms_hello (built for "
                + A
                + "): incompatible");
    assertThat(sb.exists(LINK)).isFalse();
  }

  @Test
  void noWeakModulesYesIsHonoured(Sandbox sandbox) {
    Sandbox sb = A_INSTALLED.copyFor(sandbox);
    sb.sh("echo 'NO_WEAK_MODULES=\"yes\"' >> /usr/src/jdkms_hello-1.0/dkms.conf").requireSuccess();

    Result add = addB(sb);

    assertThat(add.exitCode()).as(add.describe()).isZero();
    assertThat(add.stdout()).as(add.describe()).doesNotContain("linked jdkms_hello");
    assertThat(sb.exists(LINK)).isFalse();
  }

  @Test
  void fedoraNeverLinks(Sandbox sandbox) {
    Sandbox sb = A_INSTALLED.copyFor(sandbox);
    sb.sh("rm -f /etc/os-release && printf '" + FEDORA + "' > /etc/os-release").requireSuccess();

    Result add = addB(sb);

    assertThat(add.exitCode()).as(add.describe()).isZero();
    assertThat(add.stdout()).as(add.describe()).doesNotContain("weak-updates");
    assertThat(sb.exists("/lib/modules/" + B + "/weak-updates")).isFalse();
  }
}
