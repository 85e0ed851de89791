package dev.jdkms.tests.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.Apt;
import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsStatus;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Dnf;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.PacmanPackages;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The source packages of {@code jdkms fleet source} on normal machines: in a sandbox of this host
 * with the jdkms .deb, the command packages the source of Debian's acpi-call-dkms ({@code apt-get
 * download}) as {@code acpi-call-dkms} .deb, rpm and pacman package. apt installs the .deb there,
 * dnf the rpm beside the jdkms rpm and one kernel (the fixtures of {@link Dnf}), pacman the pacman
 * package beside jdkms's and one kernel in Arch's layout ({@link PacmanPackages}); each time jdkms
 * built and installed acpi_call for the kernels with headers, and removing the package leaves
 * nothing of it. dnf also upgrades to the rpm of a next version of the same tree.
 */
class SourcePackageTest {
  static final String MODULE = "acpi-call";
  static final String KO = "acpi_call";
  private static final String PAC =
      "pacman --noconfirm --config /var/tmp/pacman/pacman.conf --root / --dbpath"
          + " /var/tmp/pacman/db --cachedir /var/tmp/pacman/cache --logfile"
          + " /var/tmp/pacman/pacman.log --hookdir /usr/share/libalpm/hooks ";

  private static final String PACKAGES = "/var/tmp/out";
  private static final String NEXT = "1.2.2.1";

  private static SandboxFamily family;
  private static Sandbox deb;
  private static Result written;
  private static Path out;
  private static String k;

  @BeforeAll
  static void writeTheSourcePackages() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests jdkms fleet source, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    k = Kernels.newest(1).get(0);
    family = SandboxFamily.create("SourcePackageTest");
    out = Files.createDirectories(family.dir().resolve("packages"));
    deb = family.sandbox("apt");
    Apt.installJdkms(deb).requireSuccess();
    written =
        deb.sh(
            String.join(
                "\n",
                "set -e",
                "mkdir -p /var/tmp/src && cd /var/tmp/src",
                "apt-get -q download acpi-call-dkms 2>/dev/null",
                "dpkg-deb -x acpi-call-dkms_*.deb .",
                "/usr/lib/jdkms/bin/jdkms fleet source --source usr/src/acpi-call-*"
                    + " --format deb,rpm,pacman --maintainer 'Module Author <author@example.org>'"
                    + " -o "
                    + PACKAGES,
                // the author's next version: the same tree with PACKAGE_VERSION raised
                "cp -a usr/src/acpi-call-1.2.2 usr/src/acpi-call-" + NEXT,
                "sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\""
                    + NEXT
                    + "\"/'"
                    + " usr/src/acpi-call-"
                    + NEXT
                    + "/dkms.conf",
                "/usr/lib/jdkms/bin/jdkms fleet source --source usr/src/acpi-call-"
                    + NEXT
                    + " --format rpm -o "
                    + PACKAGES));
    // the sandbox's writes are in its upper layer: the others see a copy
    Process cp =
        new ProcessBuilder("cp", "-a", deb.upper(PACKAGES).toString(), out.toString())
            .inheritIO()
            .start();
    assertThat(cp.onExit().join().exitValue()).as("cp of " + PACKAGES).isZero();
    out = out.resolve("out");
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  @Test
  void aptInstallsTheDebJdkmsBuildsItForEveryKernelAndPurgeLeavesNothing() {
    assertThat(written.exitCode()).as(written.describe()).isZero();
    assertThat(written.stdoutLines())
        .as(written.describe())
        .filteredOn(l -> l.startsWith("  package "))
        .hasSize(4)
        .anyMatch(l -> l.matches("  package .*/acpi-call-dkms_[0-9.]+-1_all\\.deb"))
        .anyMatch(l -> l.matches("  package .*/acpi-call-dkms-[0-9.]+-1\\.noarch\\.rpm"))
        .anyMatch(l -> l.matches("  package .*/acpi-call-dkms-[0-9.]+-1-any\\.pkg\\.tar\\.zst"));
    Result in = Apt.installFiles(deb, PACKAGES, "acpi-call-dkms_*.deb");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    assertThat(in.output()).contains("Setting up acpi-call-dkms (");
    assertBuiltFor(deb, Kernels.withHeaders());

    Result purge = Apt.purge(deb, "acpi-call-dkms");
    assertThat(purge.exitCode()).as(purge.describe()).isZero();
    assertNothingLeft(deb, "dpkg-query -W acpi-call-dkms 2>/dev/null | wc -l");
  }

  @Test
  void dnfInstallsTheRpmJdkmsBuildsItOnceAndRemovalLeavesNothing() {
    assertThat(written.exitCode()).as(written.describe()).isZero();
    Sandbox sb = family.sandbox("dnf").withBind(out);
    Dnf.prepare(sb, List.of(k)).requireSuccess();
    Dnf.dnf(sb, "install", "jdkms", Dnf.kernelPackage(k)).requireSuccess();
    Result in = Dnf.dnf(sb, "install", out + "/acpi-call-dkms-1.2.2-1.noarch.rpm");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    // %post builds for each kernel with headers (K's from its package, the host's others);
    // jdkms's file trigger, which follows, finds the work done
    List<String> kernels = Kernels.withHeaders();
    assertThat(kernels).contains(k);
    assertThat(Dnf.builds(in)).as(in.describe()).isEqualTo(kernels.size());
    assertThat(Dnf.engineRuns(in)).as(in.describe()).isEqualTo(1);
    assertBuiltFor(sb, kernels);

    // an upgrade to the next version: the old one leaves every kernel (its %preun), the new is
    // built
    Result up = Dnf.dnf(sb, "upgrade", out + "/acpi-call-dkms-" + NEXT + "-1.noarch.rpm");
    assertThat(up.exitCode()).as(up.describe()).isZero();
    assertThat(up.output()).doesNotContain("jdkms: WARNING", "jdkms: ERROR");
    Result after = sb.run("dkms", "status", MODULE);
    assertThat(after.stdoutLines())
        .as(after.describe() + up.describe())
        .hasSize(kernels.size())
        .allMatch(l -> l.startsWith(MODULE + "/" + NEXT + ", ") && l.endsWith(": installed"));
    assertBuiltFor(sb, kernels);

    Result rm = Dnf.dnf(sb, "remove", "acpi-call-dkms");
    assertThat(rm.exitCode()).as(rm.describe()).isZero();
    assertNothingLeft(sb, "rpm -qa acpi-call-dkms | wc -l");
  }

  @Test
  void pacmanInstallsThePackageTheAlpmHookBuildsItAndRemovalLeavesNothing() {
    assertThat(written.exitCode()).as(written.describe()).isZero();
    PacmanPackages p = new PacmanPackages();
    Path base = p.hostBase();
    Path linux = p.linux(k, 1);
    Path headers = p.linuxHeaders(k, 1);
    Sandbox sb = family.sandbox("pacman").withBind(out);
    sb.sh(
            String.join(
                "\n",
                "set -e",
                // the host's /usr/lib/modules/K links: the linux packages own these paths here
                "rm -rf /usr/lib/modules/*",
                "mkdir -p /var/tmp/pacman/db /var/tmp/pacman/cache /usr/share/libalpm/hooks",
                "printf '[options]\\nArchitecture = auto\\nSigLevel = Never\\n"
                    + "LocalFileSigLevel = Never\\n' > /var/tmp/pacman/pacman.conf",
                PAC + "-U " + base,
                PAC + "-U " + PacmanPackages.jdkms() + " " + linux + " " + headers))
        .requireSuccess();
    Result in = sb.sh(PAC + "-U " + out + "/acpi-call-dkms-*.pkg.tar.zst");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    assertBuiltFor(sb, List.of(k));

    Result rm = sb.sh(PAC + "-R acpi-call-dkms");
    assertThat(rm.exitCode()).as(rm.describe()).isZero();
    assertNothingLeft(
        sb,
        "pacman --config /var/tmp/pacman/pacman.conf --dbpath /var/tmp/pacman/db -Q"
            + " | grep -c acpi-call-dkms");
  }

  /** dkms status says installed for each kernel, and the module there was built for it. */
  private static void assertBuiltFor(Sandbox sb, List<String> kernels) {
    Result status = sb.run("dkms", "status");
    for (String kernel : kernels) {
      assertThat(status.stdoutLines())
          .as(status.describe())
          .anyMatch(l -> DkmsStatus.installed(l, MODULE, kernel));
      String ko = "/lib/modules/" + kernel + "/updates/dkms/" + KO + ".ko";
      Result vermagic = sb.run("modinfo", "-F", "vermagic", ko);
      assertThat(vermagic.exitCode()).as(vermagic.describe()).isZero();
      assertThat(vermagic.stdout()).as(ko).startsWith(kernel + " ");
    }
  }

  /** No acpi_call module, DKMS registration, source or package ({@code packages} counts). */
  private static void assertNothingLeft(Sandbox sb, String packages) {
    Result r =
        sb.sh(
            "find /lib/modules/ /usr/lib/modules/ -name '"
                + KO
                + ".ko*' | wc -l;"
                + " dkms status | grep -c "
                + MODULE
                + ";"
                + " ls -d /var/lib/dkms/"
                + MODULE
                + " /usr/src/"
                + MODULE
                + "-* 2>/dev/null | wc -l; "
                + packages);
    assertThat(r.stdoutLines()).as(r.describe()).containsExactly("0", "0", "0", "0");
  }
}
