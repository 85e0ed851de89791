package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.Apt;
import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsStatus;
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
 * The jdkms .deb (apt-hook) with Debian's real dpkg and apt and real *-dkms packages from the
 * archive, in sandboxes that see the host's kernel headers. The class's template sandbox gets the
 * .deb and then {@code apt-get install v4l2loopback-dkms acpi-call-dkms}; each test works on a fork
 * of it (or, for the switch from Debian's dkms, on a sandbox of its own).
 */
class DebPackageTest {
  private static final String[] DKMS_PACKAGES = {"v4l2loopback-dkms", "acpi-call-dkms"};

  /** dkms module name and .ko name of each package above. */
  private static final String[][] MODULES = {
    {"v4l2loopback", "v4l2loopback"}, {"acpi-call", "acpi_call"}
  };

  private static SandboxFamily family;
  private static Sandbox template;
  private static Result jdkmsInstall;
  private static Result packagesInstall;

  @BeforeAll
  static void installJdkmsThenTwoDkmsPackages() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms .deb, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    Kernels.newest(2);
    family = SandboxFamily.create("DebPackageTest");
    template = family.sandbox("template");
    jdkmsInstall = Apt.installJdkms(template);
    jdkmsInstall.requireSuccess();
    packagesInstall = Apt.install(template, DKMS_PACKAGES);
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  private static Sandbox fork(String name) {
    return family.fork(template, name);
  }

  @Test
  void theDebInstallsTheDropInAndItsHooks() {
    assertThat(jdkmsInstall.output()).contains("Setting up jdkms");
    Result r =
        template.sh(
            "readlink /usr/sbin/dkms; readlink /usr/bin/jdkms; dkms --version;"
                + " dpkg-query -W -f='${Provides}\\n' jdkms;"
                + " for s in preinst postinst header_postinst prerm postrm; do"
                + " test -x /etc/kernel/$s.d/dkms && echo hook-$s; done;"
                + " test -x /usr/lib/dkms/common.postinst && echo common.postinst;"
                + " test -x /usr/lib/dkms/dkms_autoinstaller && echo autoinstaller;"
                + " test -d /var/lib/dkms && echo tree; . /usr/lib/jdkms/lib/java.env && echo java-$JDKMS_JAVA_FEATURE");
    assertThat(r.stdoutLines())
        .as(r.describe())
        .contains(
            "../lib/jdkms/bin/dkms",
            "../lib/jdkms/bin/jdkms",
            "dkms-3.4.3",
            "dkms (= 3.4.3)",
            "hook-preinst",
            "hook-postinst",
            "hook-header_postinst",
            "hook-prerm",
            "hook-postrm",
            "common.postinst",
            "autoinstaller",
            "tree");
    assertThat(r.stdoutLines()).anyMatch(l -> l.matches("java-(1[7-9]|[2-9][0-9])"));
    // run-parts runs the build hook before initramfs-tools (and zz-update-grub) makes the image.
    Result order =
        template.sh(
            "touch /etc/kernel/postinst.d/initramfs-tools /etc/kernel/postinst.d/zz-update-grub;"
                + " chmod +x /etc/kernel/postinst.d/*; run-parts --test /etc/kernel/postinst.d");
    List<String> lines = order.stdoutLines();
    assertThat(lines.indexOf("/etc/kernel/postinst.d/dkms"))
        .as(order.describe())
        .isGreaterThanOrEqualTo(0)
        .isLessThan(lines.indexOf("/etc/kernel/postinst.d/initramfs-tools"));
  }

  @Test
  void dkmsPackagesFromTheArchiveAreBuiltForEveryKernel() {
    assertThat(packagesInstall.exitCode()).as(packagesInstall.describe()).isZero();
    Result status = template.run("dkms", "status");
    for (String k : Kernels.withHeaders()) {
      for (String[] m : MODULES) {
        assertThat(status.stdoutLines())
            .as(status.describe())
            .anyMatch(l -> DkmsStatus.installed(l, m[0], k));
        assertVermagic(template, k, m[1]);
      }
    }
    Result dpkg =
        template.sh(
            "dpkg-query -W -f='${Package} ${Status}\\n' " + String.join(" ", DKMS_PACKAGES));
    assertThat(dpkg.stdoutLines())
        .containsExactlyInAnyOrder(
            "v4l2loopback-dkms install ok installed", "acpi-call-dkms install ok installed");
  }

  @Test
  void newHeadersGetTheModulesAndPurgingLeavesNothing() {
    Sandbox sb = fork("headers");
    List<String> candidates = Apt.headersNotInstalled(sb);
    assertThat(candidates).as("headers packages of the default series not installed").isNotEmpty();
    String headers = candidates.get(candidates.size() - 1);
    String k = headers.substring("linux-headers-".length());
    String common = headers.replaceFirst("-amd64$", "-common");

    Result in = Apt.install(sb, headers);
    assertThat(in.exitCode()).as(in.describe()).isZero();
    assertThat(in.stdoutLines()).contains("/etc/kernel/header_postinst.d/dkms:");
    Result status = sb.run("dkms", "status", "-k", k);
    for (String[] m : MODULES) {
      assertThat(status.stdoutLines())
          .as(status.describe())
          .anyMatch(
              l ->
                  l.startsWith(m[0] + "/")
                      && l.endsWith(", " + k + ", " + Kernels.arch() + ": installed"));
      assertVermagic(sb, k, m[1]);
    }

    // The headers go (no image was ever installed for k): so do the modules built for them.
    Result purgeHeaders = Apt.purge(sb, headers, common);
    assertThat(purgeHeaders.exitCode()).as(purgeHeaders.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines()).noneMatch(l -> l.contains(", " + k + ","));
    assertThat(sb.exists("/lib/modules/" + k)).as("/lib/modules/" + k).isFalse();

    Result purge = Apt.purge(sb, DKMS_PACKAGES);
    assertThat(purge.exitCode()).as(purge.describe()).isZero();
    Result left =
        sb.sh(
            "find /lib/modules/ \\( -name 'v4l2loopback.ko*' -o -name 'acpi_call.ko*' \\) -print;"
                + " ls -d /var/lib/dkms/v4l2loopback /var/lib/dkms/acpi-call 2>/dev/null; dkms status");
    assertThat(left.stdout()).as(left.describe()).isEmpty();
  }

  @Test
  void aFailedBuildLeavesTheKernelConfiguredUnlessTheModuleIsBootCritical() {
    Sandbox sb = fork("policy");
    String k = Kernels.newest(1).get(0);
    sb.addFixture("jdkms_broken-1.0", "/usr/src");
    sb.run("dkms", "add", "jdkms_broken/1.0").requireSuccess();
    // As linux-headers-K's postinst runs it.
    String hook =
        "DEB_MAINT_PARAMS=configure run-parts --report --exit-on-error --arg="
            + k
            + " /etc/kernel/header_postinst.d";

    Result plain = sb.sh(hook);
    assertThat(plain.exitCode()).as(plain.describe()).isZero();
    assertThat(plain.outputLines())
        .as(plain.describe())
        .anyMatch(l -> l.matches("\\s+(\\| )?\\S*broken\\.c:\\d+:\\d+: error: .*"))
        .contains(
            "dkms: WARNING: kernel "
                + k
                + ": module(s) jdkms_broken/1.0 failed (jdkms exit status 11).");

    sb.sh("echo 'REMAKE_INITRD=\"yes\"' >> /usr/src/jdkms_broken-1.0/dkms.conf").requireSuccess();
    Result critical = sb.sh(hook);
    assertThat(critical.exitCode()).as(critical.describe()).isNotZero();
    assertThat(critical.outputLines())
        .as(critical.describe())
        .anyMatch(l -> l.matches("\\s+(\\| )?\\S*broken\\.c:\\d+:\\d+: error: .*"))
        .anyMatch(
            l ->
                l.startsWith(
                    "dkms: ERROR: kernel "
                        + k
                        + ": boot-critical module(s) jdkms_broken/1.0 failed"));
  }

  @Test
  void switchingFromDebiansDkmsAndBackKeepsModulesAndStatus() {
    Sandbox sb = family.sandbox("switch");
    List<String> ks = Kernels.withHeaders();
    Result debian = Apt.install(sb, "dkms", "acpi-call-dkms");
    assertThat(debian.exitCode()).as(debian.describe()).isZero();
    assertDebiansDkms(sb);
    List<String> before = sb.run("dkms", "status").stdoutLines();
    assertThat(before).hasSize(ks.size());

    Result toJdkms = Apt.installJdkms(sb);
    assertThat(toJdkms.exitCode()).as(toJdkms.describe()).isZero();
    assertThat(toJdkms.stdoutLines()).anyMatch(l -> l.startsWith("Removing dkms "));
    assertThat(sb.run("dkms", "--version").stdout()).isEqualTo("dkms-3.4.3\n");
    assertThat(sb.run("dkms", "status").stdoutLines()).isEqualTo(before);
    for (String k : ks) {
      assertVermagic(sb, k, "acpi_call");
    }
    // jdkms works on the tree Debian's dkms made: take a module out and put it back.
    String k0 = ks.get(0);
    Result reinstall =
        sb.sh(
            "dkms uninstall acpi-call/$(ls /var/lib/dkms/acpi-call | grep -v kernel-) -k "
                + k0
                + " && dkms install acpi-call/$(ls /var/lib/dkms/acpi-call | grep -v kernel-) -k "
                + k0);
    assertThat(reinstall.exitCode()).as(reinstall.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines()).isEqualTo(before);

    Result back = Apt.install(sb, "dkms");
    assertThat(back.exitCode()).as(back.describe()).isZero();
    assertDebiansDkms(sb);
    assertThat(sb.run("dkms", "status").stdoutLines()).isEqualTo(before);
    for (String k : ks) {
      assertVermagic(sb, k, "acpi_call");
    }
    // Debian's own hooks are back in charge.
    assertThat(sb.readFile("/etc/kernel/postinst.d/dkms")).doesNotContain("jdkms");
  }

  /** `dkms` is the release's own dkms package (3.0.10 on Debian 12, 3.2.2 on Debian 13). */
  private static void assertDebiansDkms(Sandbox sb) {
    String version = sb.run("dpkg-query", "-W", "-f=${Version}", "dkms").requireSuccess().stdout();
    String upstream = version.replaceFirst("^\\d+:", "").replaceFirst("-[^-]*$", "");
    assertThat(sb.run("dkms", "--version").stdout()).isEqualTo("dkms-" + upstream + "\n");
  }

  /** The installed module for kernel k exists and was built for k. */
  static void assertVermagic(Sandbox sb, String k, String ko) {
    String path = "/lib/modules/" + k + "/updates/dkms/" + ko + ".ko";
    Result vermagic = sb.run("modinfo", "-F", "vermagic", path);
    assertThat(vermagic.exitCode()).as(vermagic.describe()).isZero();
    assertThat(vermagic.stdout()).as(path).startsWith(k + " ");
  }
}
