package dev.jdkms.tests.trixie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.Apt;
import dev.jdkms.tests.harness.DebianRoot;
import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsStatus;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jdkms .deb on Debian 13 "trixie": a root made from the trixie archive (kernel 6.12.NN+deb13,
 * gcc 14, OpenJDK 21, merged /usr, Debian's dkms 3.2.2), with trixie's real apt, dpkg,
 * initramfs-tools and *-dkms packages. The template sandbox gets the .deb and then
 * v4l2loopback-dkms and acpi-call-dkms; each test works on a fork of it, or (for the switch from
 * Debian's dkms) on a sandbox of its own on the same root.
 */
class TrixieAptTest {
  /** Package, dkms module name and .ko name. */
  private static final String[][] MODULES = {
    {"v4l2loopback-dkms", "v4l2loopback", "v4l2loopback"},
    {"acpi-call-dkms", "acpi-call", "acpi_call"}
  };

  private static DebianRoot root;
  private static List<String> kernels;
  private static SandboxFamily family;
  private static Sandbox template;
  private static Result jdkmsInstall;
  private static Result packagesInstall;

  @BeforeAll
  static void installJdkmsThenTwoDkmsPackages() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms .deb, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    root = DebianRoot.of(TrixieRoot.spec());
    kernels = root.kernels();
    family = SandboxFamily.create("TrixieAptTest");
    template = family.sandbox("template").withRoot(root.path());
    jdkmsInstall = Apt.installJdkms(template);
    jdkmsInstall.requireSuccess();
    packagesInstall =
        Apt.installFiles(
            template, DebianRoot.DEBS, "v4l2loopback-dkms_*.deb", "acpi-call-dkms_*.deb");
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  @Test
  void theRootIsTrixieWithItsOwnKernelCompilerAndJava() {
    Result r =
        template.sh(
            ". /etc/os-release; echo \"$VERSION_CODENAME $VERSION_ID\"; readlink /lib /bin;"
                + " gcc -dumpversion; ls /lib/modules");
    assertThat(r.stdoutLines())
        .as(r.describe())
        .startsWith("trixie 13", "usr/lib", "usr/bin", "14")
        .contains(kernels.get(0));
    assertThat(kernels).allMatch(k -> k.matches("6\\.12\\.\\d+\\+deb13-amd64"));
  }

  @Test
  void theDebRunsDkmsOnJava21WithAnAppCdsArchive() {
    assertThat(jdkmsInstall.output())
        .contains("Setting up jdkms")
        .contains("jdkms: dkms runs on Java 21 (")
        .contains("), with a start-up cache");
    Result r =
        template.sh(
            ". /usr/lib/jdkms/lib/java.env && echo java-$JDKMS_JAVA_FEATURE;"
                + " test -s /usr/lib/jdkms/lib/dkms.jsa && echo jsa;"
                + " test -e /usr/lib/jdkms/lib/dkms.aot || echo no-aot; dkms --version;"
                + " readlink /usr/sbin/dkms; for s in postinst header_postinst prerm postrm; do"
                + " test -x /etc/kernel/$s.d/dkms && echo hook-$s; done");
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "java-21",
            "jsa",
            "no-aot",
            "dkms-3.4.3",
            "../lib/jdkms/bin/dkms",
            "hook-postinst",
            "hook-header_postinst",
            "hook-prerm",
            "hook-postrm");
    // The archive is used: a run with -Xshare:on would fail if it did not map.
    Result share =
        template.sh(
            ". /usr/lib/jdkms/lib/java.env; \"$JDKMS_JAVA\" -XX:TieredStopAtLevel=1"
                + " -XX:+UseSerialGC -XX:-UsePerfData -Xshare:on"
                + " -XX:SharedArchiveFile=/usr/lib/jdkms/lib/dkms.jsa"
                + " -cp /usr/lib/jdkms/lib/dkms.jar dev.jdkms.cli.DkmsMain --version");
    assertThat(share.stdout()).as(share.describe()).isEqualTo("dkms-3.4.3\n");
  }

  @Test
  void runInstallFromTheCheckoutPicksJava21AndTrainsItsArchive() {
    Sandbox sb = family.sandbox("checkout").withRoot(root.path());
    Result install = sb.run(Repo.root().resolve("run").toString(), "install");
    assertThat(install.exitCode()).as(install.describe()).isZero();
    assertThat(install.stdoutLines())
        .as(install.describe())
        .anyMatch(
            l -> l.startsWith("Installed jdkms to /usr/lib/jdkms (Java 21: /usr/lib/jvm/java-21-"))
        .anyMatch(l -> l.startsWith("Created the AppCDS archive /usr/lib/jdkms/lib/dkms.jsa"));
    Result r =
        sb.sh(
            ". /usr/lib/jdkms/lib/java.env && echo java-$JDKMS_JAVA_FEATURE; \"$JDKMS_JAVA\""
                + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:on"
                + " -XX:SharedArchiveFile=/usr/lib/jdkms/lib/dkms.jsa"
                + " -cp /usr/lib/jdkms/lib/dkms.jar dev.jdkms.cli.DkmsMain --version");
    assertThat(r.stdoutLines()).as(r.describe()).containsExactly("java-21", "dkms-3.4.3");
  }

  @Test
  void openJdk25FromTrixieIsPickedWithAnAotCacheAndJava21ComesBack() {
    Sandbox sb = family.fork(template, "java25");
    Result in = Apt.install(sb, "openjdk-25-jre-headless");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    // The package's files under /usr/lib/jvm fire jdkms's trigger: java-setup picks 25.
    assertThat(in.output()).contains("jdkms: dkms runs on Java 25 (");
    String javaState =
        ". /usr/lib/jdkms/lib/java.env && echo java-$JDKMS_JAVA_FEATURE;"
            + " ls /usr/lib/jdkms/lib | grep -E '^dkms\\.(aot|jsa)$'; dkms --version";
    Result r = sb.sh(javaState);
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly("java-25", "dkms.aot", "dkms-3.4.3");
    assertThat(sb.run("dkms", "status").stdoutLines())
        .isEqualTo(template.run("dkms", "status").stdoutLines());

    Result out = Apt.purge(sb, "openjdk-25-jre-headless");
    assertThat(out.exitCode()).as(out.describe()).isZero();
    Result back = sb.sh(javaState);
    assertThat(back.stdoutLines())
        .as(back.describe())
        .containsExactly("java-21", "dkms.jsa", "dkms-3.4.3");
  }

  @Test
  void dkmsPackagesAreBuiltCompressedAndSignedAsTrixiesKernelWantsThem() {
    assertThat(packagesInstall.exitCode()).as(packagesInstall.describe()).isZero();
    String k = kernels.get(0);
    String suffix = moduleSuffix(template, k);
    // trixie's kernel compresses its own modules (Debian 12's did not): dkms must do the same.
    assertThat(suffix).isEqualTo(".ko.xz");
    Result own =
        template.sh(
            "find /lib/modules/"
                + k
                + "/kernel -name '*.ko*' | sed 's/.*\\.ko/.ko/' | sort | uniq -c");
    assertThat(own.stdoutLines()).as(own.describe()).hasSize(1).allMatch(l -> l.endsWith(suffix));
    Result status = template.run("dkms", "status");
    for (String[] m : MODULES) {
      assertThat(status.stdoutLines())
          .as(status.describe())
          .anyMatch(l -> DkmsStatus.installed(l, m[1], k));
      assertModule(template, k, m[2]);
    }
    Result dpkg =
        template.sh(
            "dpkg-query -W -f='${Package} ${Status}\\n' v4l2loopback-dkms acpi-call-dkms dkms");
    assertThat(dpkg.stdoutLines())
        .containsExactlyInAnyOrder(
            "v4l2loopback-dkms install ok installed",
            "acpi-call-dkms install ok installed",
            "dkms unknown ok not-installed");
  }

  @Test
  void aNewKernelGetsItsModulesFromTheHookAndPurgingLeavesNothing() {
    Sandbox sb = family.fork(template, "kernel");
    String k2 = kernels.get(1);
    // K2's image, headers, kbuild and common packages, as apt fetched them from trixie.
    Result in = Apt.installFiles(sb, DebianRoot.KERNEL_DEBS, "*.deb");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    Result status = sb.run("dkms", "status", "-k", k2);
    for (String[] m : MODULES) {
      assertThat(status.stdoutLines())
          .as(status.describe())
          .anyMatch(
              l ->
                  l.startsWith(m[1] + "/")
                      && l.endsWith(", " + k2 + ", " + Kernels.arch() + ": installed"));
      assertModule(sb, k2, m[2]);
    }
    // initramfs-tools made K2's image after the hook: it exists and is readable.
    Result initrd = sb.sh("lsinitramfs /boot/initrd.img-" + k2 + " | grep -c '\\.ko'");
    assertThat(initrd.exitCode()).as(initrd.describe()).isZero();

    // The kernel goes: so do the modules built for it.
    Result purgeKernel =
        Apt.purge(
            sb,
            "linux-image-" + k2,
            "linux-headers-" + k2,
            "linux-headers-" + k2.replaceFirst("-amd64$", "-common"));
    assertThat(purgeKernel.exitCode()).as(purgeKernel.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines()).noneMatch(l -> l.contains(", " + k2 + ","));
    assertThat(sb.exists("/lib/modules/" + k2)).as("/lib/modules/" + k2).isFalse();
    assertThat(sb.exists("/boot/initrd.img-" + k2)).as("/boot/initrd.img-" + k2).isFalse();

    Result purge = Apt.purge(sb, "v4l2loopback-dkms", "acpi-call-dkms");
    assertThat(purge.exitCode()).as(purge.describe()).isZero();
    Result left =
        sb.sh(
            "find /usr/lib/modules/ \\( -name 'v4l2loopback.ko*' -o -name 'acpi_call.ko*' \\)"
                + " -print; ls -d /var/lib/dkms/v4l2loopback /var/lib/dkms/acpi-call"
                + " /usr/src/v4l2loopback-* /usr/src/acpi-call-* 2>/dev/null; dkms status");
    assertThat(left.stdout()).as(left.describe()).isEmpty();

    Result purgeJdkms = Apt.purge(sb, "jdkms");
    assertThat(purgeJdkms.exitCode()).as(purgeJdkms.describe()).isZero();
    Result gone =
        sb.sh(
            "ls -d /usr/lib/jdkms /usr/sbin/dkms /etc/kernel/*.d/dkms /usr/lib/dkms"
                + " /etc/dkms/framework.conf 2>/dev/null; dpkg-query -W jdkms 2>/dev/null");
    assertThat(gone.stdout()).as(gone.describe()).isEmpty();
  }

  @Test
  void switchingFromDebiansDkms322AndBackKeepsModulesAndStatus() {
    Sandbox sb = family.sandbox("switch").withRoot(root.path());
    String k = kernels.get(0);
    Result debian = Apt.installFiles(sb, DebianRoot.DEBS, "dkms_*.deb", "acpi-call-dkms_*.deb");
    assertThat(debian.exitCode()).as(debian.describe()).isZero();
    assertThat(sb.run("dkms", "--version").stdout()).isEqualTo("dkms-3.2.2\n");
    List<String> before = sb.run("dkms", "status").stdoutLines();
    assertThat(before)
        .as("Debian's dkms built acpi-call")
        .singleElement()
        .satisfies(l -> assertThat(l).endsWith(", " + k + ", " + Kernels.arch() + ": installed"));
    String debianModule = moduleFacts(sb, k, "acpi_call");

    Result toJdkms = Apt.installJdkms(sb);
    assertThat(toJdkms.exitCode()).as(toJdkms.describe()).isZero();
    assertThat(toJdkms.stdoutLines()).anyMatch(l -> l.startsWith("Removing dkms "));
    assertThat(sb.run("dkms", "--version").stdout()).isEqualTo("dkms-3.4.3\n");
    assertThat(sb.run("dkms", "status").stdoutLines()).isEqualTo(before);
    assertThat(moduleFacts(sb, k, "acpi_call")).isEqualTo(debianModule);
    // jdkms works on the tree Debian's dkms made: take the module out and put it back.
    Result reinstall =
        sb.sh(
            "v=$(ls /var/lib/dkms/acpi-call | grep -v kernel-); dkms uninstall acpi-call/$v -k "
                + k
                + " && dkms install acpi-call/$v -k "
                + k);
    assertThat(reinstall.exitCode()).as(reinstall.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines()).isEqualTo(before);
    assertModule(sb, k, "acpi_call");

    Result back = Apt.installFiles(sb, DebianRoot.DEBS, "dkms_*.deb");
    assertThat(back.exitCode()).as(back.describe()).isZero();
    assertThat(sb.run("dkms", "--version").stdout()).isEqualTo("dkms-3.2.2\n");
    assertThat(sb.run("dkms", "status").stdoutLines()).isEqualTo(before);
    assertModule(sb, k, "acpi_call");
    assertThat(sb.readFile("/etc/kernel/postinst.d/dkms")).doesNotContain("jdkms");
    assertThat(sb.exists("/usr/lib/jdkms")).as("/usr/lib/jdkms").isFalse();
  }

  /** The file name ending the kernel's config asks for: .ko, .ko.xz, .ko.zst or .ko.gz. */
  private static String moduleSuffix(Sandbox sb, String k) {
    Result c =
        sb.sh(
            "sed -n 's/^CONFIG_MODULE_COMPRESS_\\(XZ\\|ZSTD\\|GZIP\\)=y$/\\1/p' /boot/config-" + k);
    return switch (c.requireSuccess().stdout().strip()) {
      case "XZ" -> ".ko.xz";
      case "ZSTD" -> ".ko.zst";
      case "GZIP" -> ".ko.gz";
      default -> ".ko";
    };
  }

  /**
   * The installed module for {@code k} has the kernel's compression (checked by the compressor
   * itself), was built for {@code k} and is signed with the dkms MOK key.
   */
  static void assertModule(Sandbox sb, String k, String ko) {
    String suffix = moduleSuffix(sb, k);
    String path = "/lib/modules/" + k + "/updates/dkms/" + ko + suffix;
    assertThat(sb.exists(path)).as(path).isTrue();
    String check =
        switch (suffix) {
          case ".ko.xz" -> "xz -t ";
          case ".ko.zst" -> "zstd -q -t ";
          case ".ko.gz" -> "gzip -t ";
          default -> "true ";
        };
    Result t = sb.sh(check + path);
    assertThat(t.exitCode()).as(t.describe()).isZero();
    Result info = sb.sh("modinfo -F vermagic " + path + "; modinfo -F signer " + path);
    assertThat(info.stdoutLines()).as(info.describe()).hasSize(2);
    assertThat(info.stdoutLines().get(0)).as(path).startsWith(k + " ");
    assertThat(info.stdoutLines().get(1)).as(path + " signer").isNotBlank();
  }

  /** vermagic, signer and srcversion of the installed module: what a switch must keep. */
  private static String moduleFacts(Sandbox sb, String k, String ko) {
    String path = "/lib/modules/" + k + "/updates/dkms/" + ko + moduleSuffix(sb, k);
    return sb.sh(
            "modinfo -F vermagic " + path + "; modinfo -F signer " + path + "; sha256sum " + path)
        .requireSuccess()
        .stdout();
  }
}
