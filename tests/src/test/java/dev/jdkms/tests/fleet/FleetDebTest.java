package dev.jdkms.tests.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.Apt;
import dev.jdkms.tests.harness.DebianRoot;
import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Build once, install everywhere, on Debian: a build machine ({@link FleetFarm}, a sandbox of this
 * host) builds v4l2loopback and acpi-call from Debian's *-dkms sources for K1 (headers installed)
 * and K2 (headers only as .debs) with {@code jdkms fleet build}; apt-ftparchive makes repositories
 * of the packages. A target — a bookworm root with K1's image, from which gcc, make and the headers
 * are purged first — installs them with apt: the signed modules are in place and indexed, the
 * metapackage brings K2's modules in one upgrade, and purging leaves nothing. jdkms on the target
 * (no compiler) lists the packages' modules in {@code dkms status}, refuses to install over them
 * and names the packages a new kernel lacks; on a sandbox with a compiler, Debian's acpi-call-dkms
 * beside K1's package is built for K2 only and leaves the package's file alone. The second build
 * also writes the rpms and pacman packages, which dnf and pacman install ({@link
 * FleetOtherFormats}) without another build. The steps build on each other, so the tests run in
 * order on one target sandbox.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetDebTest {
  private static SandboxFamily family;
  private static DebianRoot root;
  private static List<String> kernels;
  private static Sandbox farm;
  private static Sandbox target;
  private static Result firstBuild;
  private static Result fleetBuild;
  private static Path repos;

  @BeforeAll
  static void buildOnTheFarm() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests jdkms fleet build, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    root = DebianRoot.of(FleetRoots.target());
    kernels = root.kernels();
    assertThat(Kernels.withHeaders())
        .as("K1's headers are installed on the build machine (./run test installs them)")
        .contains(kernels.get(0));
    family = SandboxFamily.create("FleetDebTest");
    farm = family.sandbox("farm");
    FleetFarm.prepare(farm, root, kernels);
    // The repository before K2: K1's packages only.
    firstBuild =
        FleetFarm.build(farm, kernels.subList(0, 1), false, FleetFarm.DIR + "/repo1", "deb");
    // every format from the one build: the rpm and pacman tests below install from it
    fleetBuild = FleetFarm.build(farm, kernels, true, FleetFarm.DIR + "/repo2", "deb,rpm,pacman");
    farm.sh(
            "cp "
                + root.path()
                + DebianRoot.KERNEL_DEBS
                + "/linux-image-"
                + kernels.get(1)
                + "_*.deb "
                + FleetFarm.DIR
                + "/repo2/")
        .requireSuccess();
    repos = Files.createDirectories(family.dir().resolve("repos"));
    for (String r : List.of("repo1", "repo2")) {
      if (Files.isDirectory(farm.upper(FleetFarm.DIR + "/" + r))) {
        FleetFarm.repository(farm, FleetFarm.DIR + "/" + r);
        // the farm's writes are in its upper layer: the target sees a copy
        Process cp =
            new ProcessBuilder(
                    "cp", "-a", farm.upper(FleetFarm.DIR + "/" + r).toString(), repos.toString())
                .inheritIO()
                .start();
        assertThat(cp.onExit().join().exitValue()).as("cp of " + r).isZero();
      }
    }
    target = family.sandbox("target").withRoot(root.path()).withBind(repos);
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  @Test
  @Order(1)
  void oneRunBuildsBothModulesForBothKernelsOneWithoutInstalledHeaders() {
    String k1 = kernels.get(0);
    String k2 = kernels.get(1);
    assertThat(firstBuild.exitCode()).as(firstBuild.describe()).isZero();
    assertThat(fleetBuild.exitCode()).as(fleetBuild.describe()).isZero();
    assertThat(farm.exists("/usr/src/linux-headers-" + k2)).isFalse();
    assertThat(farm.exists("/lib/modules/" + k2)).isFalse();
    assertThat(fleetBuild.stdoutLines())
        .as(fleetBuild.describe())
        .contains(
            "  built   acpi-call/1.2.2 "
                + k1
                + " -> acpi-call-modules-"
                + k1
                + ", kmod-acpi-call-"
                + k1
                + ", acpi-call-amd64",
            "  built   acpi-call/1.2.2 "
                + k2
                + " -> acpi-call-modules-"
                + k2
                + ", kmod-acpi-call-"
                + k2
                + ", acpi-call-amd64")
        .anyMatch(
            l ->
                l.matches(
                    "  built   v4l2loopback/[0-9.]+ "
                        + k2
                        + " -> v4l2loopback-modules-"
                        + k2
                        + ", kmod-v4l2loopback-"
                        + k2
                        + ", v4l2loopback-amd64"))
        // 4 + 2 .debs, 4 + 2 rpms, 4 pacman packages
        .contains("Built 4, skipped 0 (BUILD_EXCLUSIVE), failed 0; 16 packages.");
    // four units, each built and installed once
    assertThat(fleetBuild.stdout().split("Autoinstall of module", -1)).hasSize(5);
    Result files = farm.sh("cd " + FleetFarm.DIR + "/repo2 && ls *.deb");
    assertThat(files.stdoutLines())
        .as(files.describe())
        .contains("acpi-call-modules-" + k1 + "_1.2.2_amd64.deb")
        .contains("acpi-call-modules-" + k2 + "_1.2.2_amd64.deb")
        .anyMatch(f -> f.matches("acpi-call-modules-amd64_[0-9.]+\\+1\\.2\\.2_amd64\\.deb"))
        .anyMatch(f -> f.startsWith("v4l2loopback-modules-amd64_"));
  }

  @Test
  @Order(2)
  void theKeyIsNeverPackagedAndTheScriptsAreTrivial() {
    String k2 = kernels.get(1);
    Result r =
        farm.sh(
            "cd "
                + FleetFarm.DIR
                + "/repo2 && { for d in *-modules-*.deb; do dpkg-deb -c $d; done;"
                + " rpm -qpl kmod-*.rpm; for p in *.pkg.tar.zst; do bsdtar -tf $p; done; }"
                + " | grep -ci 'key\\|\\.der\\|\\.pem'; dpkg-deb -f acpi-call-modules-"
                + k2
                + "_*.deb Depends; dpkg-deb -I acpi-call-modules-"
                + k2
                + "_*.deb postinst");
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "0",
            "linux-image-" + k2 + " | linux-image-" + k2 + "-unsigned | linux-image-unsigned-" + k2,
            "#!/bin/sh",
            "set -e",
            "# written by jdkms fleet build: index the modules of " + k2,
            "if [ \"$1\" = configure ]; then",
            "    depmod -a " + k2,
            "fi");
  }

  @Test
  @Order(3)
  void skippedAndFailedUnitsAreSummarisedAndPackageNothing() {
    String k1 = kernels.get(0);
    Result r =
        farm.sh(
            FleetFarm.JDKMS
                + " fleet build --source "
                + Repo.fixture("dkms_jd_exclusive_test-1.0")
                + " --source "
                + Repo.fixture("jdkms_broken-1.0")
                + " -k "
                + k1
                + " --key "
                + FleetFarm.KEY
                + " --cert "
                + FleetFarm.CERT
                + " -o /var/tmp/fleet/none");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stdoutLines())
        .as(r.describe())
        .contains(
            "  skipped dkms_jd_exclusive_test/1.0 " + k1 + " (BUILD_EXCLUSIVE)",
            "Built 0, skipped 1 (BUILD_EXCLUSIVE), failed 1; 0 packages.")
        .anyMatch(
            l -> l.startsWith("  FAILED  jdkms_broken/1.0 " + k1 + " (build failed (exit 10)"));
    assertThat(r.stderr())
        .contains(
            "jdkms fleet build: the staging trees with the build logs are kept in /tmp/jdkms-fleet-");
    assertThat(farm.exists("/var/tmp/fleet/none")).as("no package, no directory").isFalse();
  }

  @Test
  @Order(4)
  void theTargetHasNoCompilerMakeOrHeaders() {
    String k1 = kernels.get(0);
    Result purge =
        Apt.purge(
            target,
            "--autoremove",
            "gcc",
            "make",
            "patch",
            "dpkg-dev",
            "linux-headers-" + k1,
            "linux-headers-" + k1.replaceFirst("-[^-]+$", "") + "-common");
    assertThat(purge.exitCode()).as(purge.describe()).isZero();
    Result r =
        target.sh(
            "for c in gcc gcc-12 cc make; do command -v $c || echo no-$c; done;"
                + " ls /usr/src | grep -c linux-headers; test -e /lib/modules/"
                + k1
                + "/build || echo no-build; test -e /boot/vmlinuz-"
                + k1
                + " && echo image");
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly("no-gcc", "no-gcc-12", "no-cc", "no-make", "0", "no-build", "image");
  }

  @Test
  @Order(5)
  void jdkmsGoesOnTheTargetWithoutBringingACompiler() {
    // jdkms's .deb depends on gcc | c-compiler, make, patch and dpkg-dev: an empty package that
    // provides those names stands in, so that the machine has jdkms and still no compiler.
    target
        .sh(
            "set -e; d=/var/tmp/no-toolchain; mkdir -p $d/DEBIAN; printf '%s\\n'"
                + " 'Package: jdkms-test-no-toolchain' 'Version: 1' 'Architecture: all'"
                + " 'Maintainer: jdkms tests <tests@jdkms.invalid>'"
                + " 'Provides: c-compiler, make, patch, dpkg-dev'"
                + " 'Description: stands in for a compiler in FleetDebTest' > $d/DEBIAN/control;"
                + " dpkg-deb -b $d /var/tmp/no-toolchain.deb > /dev/null")
        .requireSuccess();
    Result in = Apt.install(target, "/var/tmp/no-toolchain.deb", Apt.jdkmsDeb().toString());
    assertThat(in.exitCode()).as(in.describe()).isZero();
    Result r = target.sh("for c in gcc cc make; do command -v $c || echo no-$c; done; dkms status");
    assertThat(r.stdoutLines()).as(r.describe()).containsExactly("no-gcc", "no-cc", "no-make");
  }

  @Test
  @Order(6)
  void aptInstallsTheSignedModulesFromTheRepository() {
    String k1 = kernels.get(0);
    target
        .sh(
            "rm -f /etc/apt/sources.list.d/*; echo 'deb [trusted=yes] file:"
                + repos
                + "/repo1 ./' > /etc/apt/sources.list && apt-get -q update")
        .requireSuccess();
    Result install = Apt.install(target, "v4l2loopback-modules-amd64", "acpi-call-modules-amd64");
    assertThat(install.exitCode()).as(install.describe()).isZero();
    assertThat(install.output()).contains("Setting up acpi-call-modules-" + k1);
    assertModulesIn(k1);
    // jdkms knows them: installed by a package, neither built nor installable through DKMS
    Result status = target.sh("dkms status; dkms install -m acpi-call -v 1.2.2 -k " + k1);
    assertThat(status.exitCode()).as(status.describe()).isEqualTo(6);
    assertThat(status.stdoutLines())
        .as(status.describe())
        .hasSize(2)
        .startsWith(
            "acpi-call/1.2.2, "
                + k1
                + ", x86_64: installed (prebuilt: acpi-call-modules-"
                + k1
                + ")")
        .anyMatch(
            l ->
                l.matches(
                    "v4l2loopback/[0-9.]+, "
                        + k1
                        + ", x86_64: installed \\(prebuilt: v4l2loopback-modules-"
                        + k1
                        + "\\)"));
    assertThat(status.stderr())
        .contains(
            "jdkms: acpi-call/1.2.2 is not installed for kernel "
                + k1
                + ": the package acpi-call-modules-"
                + k1
                + " provides acpi-call/1.2.2 (prebuilt) and owns its files.")
        .doesNotContain("Exception");
  }

  @Test
  @Order(8)
  void aNewKernelWhosePackagesAreMissingIsSaidAndStillInstalls() {
    String k2 = kernels.get(1);
    target
        .sh(
            "echo 'deb [trusted=yes] file:"
                + repos
                + "/repo2 ./' > /etc/apt/sources.list"
                + " && apt-get -q update")
        .requireSuccess();
    // When one upgrade brings the kernel and its packages, apt unpacks the packages (and their
    // manifests) before it configures the kernel, whose hook then finds them: no false alarm.
    Result sim = target.sh("apt-get -s upgrade --with-new-pkgs | grep '^\\(Inst\\|Conf\\) '");
    List<String> steps = sim.stdoutLines();
    int kernelConfigured =
        steps.indexOf(
            steps.stream()
                .filter(l -> l.startsWith("Conf linux-image-" + k2 + " "))
                .findFirst()
                .orElse(""));
    assertThat(kernelConfigured).as(sim.describe()).isPositive();
    assertThat(steps.subList(0, kernelConfigured))
        .as(sim.describe())
        .anyMatch(l -> l.startsWith("Inst acpi-call-modules-" + k2 + " "))
        .anyMatch(l -> l.startsWith("Inst v4l2loopback-modules-" + k2 + " "));
    // the kernel alone, as when the fleet's repository has not got its modules yet
    Result in = Apt.install(target, "linux-image-" + k2);
    assertThat(in.exitCode()).as(in.describe()).isZero();
    assertThat(in.stdoutLines())
        .as(in.describe())
        .contains(
            "dkms: acpi-call: no prebuilt package for "
                + k2
                + " (acpi-call-modules-"
                + k2
                + ") and its DKMS source is not installed; install that package",
            "dkms: v4l2loopback: no prebuilt package for "
                + k2
                + " (v4l2loopback-modules-"
                + k2
                + ") and its DKMS source is not installed; install that package")
        .anyMatch(l -> l.startsWith("Setting up linux-image-" + k2 + " "));
  }

  @Test
  @Order(9)
  void anUpgradeThroughTheMetapackageBringsTheNewKernelsModules() {
    String k2 = kernels.get(1);
    Result up = Apt.aptGet(target, "upgrade", "--with-new-pkgs");
    assertThat(up.exitCode()).as(up.describe()).isZero();
    assertThat(up.output())
        .contains("Setting up v4l2loopback-modules-" + k2)
        .contains("Setting up acpi-call-modules-" + k2);
    assertModulesIn(k2);
    assertModulesIn(kernels.get(0));
  }

  @Test
  @Order(10)
  void purgingTheModulePackagesLeavesNothing() {
    StringBuilder packages = new StringBuilder();
    for (String[] m : FleetFarm.MODULES) {
      packages.append(' ').append(m[1]).append("-modules-amd64");
      kernels.forEach(k -> packages.append(' ').append(m[1]).append("-modules-").append(k));
    }
    Result purge = Apt.unattended(target).sh("apt-get -q -y purge" + packages);
    assertThat(purge.exitCode()).as(purge.describe()).isZero();
    assertThat(purge.output()).contains("Removing acpi-call-modules-" + kernels.get(0));
    for (String k : kernels) {
      Result r =
          target.sh(
              "find /lib/modules/"
                  + k
                  + "/updates 2>/dev/null | wc -l;"
                  + " grep -c 'v4l2loopback\\|acpi_call' /lib/modules/"
                  + k
                  + "/modules.dep;"
                  + " modinfo -k "
                  + k
                  + " acpi_call > /dev/null 2>&1 || echo gone;"
                  + " dpkg -l | grep -c 'v4l2loopback\\|acpi-call'");
      assertThat(r.stdoutLines()).as(r.describe()).containsExactly("0", "0", "gone", "0");
    }
    Result r = target.sh("ls /usr/lib/jdkms/prebuilt 2>&1; dkms status");
    assertThat(r.stdout()).as(r.describe()).contains("No such file or directory");
    assertThat(r.stdoutLines()).as(r.describe()).hasSize(1);
  }

  @Test
  @Order(11)
  void dnfInstallsTheKmodPackagesOfTheSameBuild() throws IOException {
    Sandbox sb = family.sandbox("dnf").withBind(repos);
    FleetOtherFormats.dnfInstallsAndRemoves(
        sb, repos.resolve("repo2"), repos.resolve("rpm"), kernels.get(1), farmKeyId());
  }

  @Test
  @Order(12)
  void pacmanInstallsThePackagesOfTheSameBuild() throws IOException {
    Sandbox sb = family.sandbox("pacman").withBind(repos);
    FleetOtherFormats.pacmanInstallsAndRemoves(
        sb, repos.resolve("repo2"), repos.resolve("pacman"), kernels.get(1), farmKeyId());
  }

  /**
   * Where a compiler is (a sandbox of this host: K1's and K2's headers, gcc, make), the prebuilt
   * package of K1 and Debian's acpi-call-dkms from the archive: jdkms builds for K2 only, the
   * package's file stays as dpkg installed it, and removing acpi-call-dkms leaves it.
   */
  @Test
  @Order(13)
  void besideDebiansDkmsPackageThePrebuiltKernelIsLeftAlone() throws IOException {
    String k1 = kernels.get(0);
    String k2 = kernels.get(1);
    Sandbox sb = family.sandbox("both").withBind(repos);
    Apt.installJdkms(sb).requireSuccess();
    String ko = "/lib/modules/" + k1 + "/updates/dkms/acpi_call.ko";
    // the image the package depends on: this host has K1's headers, not its image package
    Result pre =
        sb.sh(
            "set -e; d=/tmp/image; mkdir -p $d/DEBIAN; printf '%s\\n' 'Package: linux-image-"
                + k1
                + "' 'Version: 1' 'Architecture: all' 'Maintainer: jdkms tests <t@jdkms.invalid>'"
                + " 'Description: stands in for the kernel image' > $d/DEBIAN/control;"
                + " dpkg-deb -b $d /tmp/image.deb > /dev/null;"
                + " dpkg -i /tmp/image.deb "
                + repos
                + "/repo2/acpi-call-modules-"
                + k1
                + "_1.2.2_amd64.deb > /dev/null; sha256sum "
                + ko);
    assertThat(pre.exitCode()).as(pre.describe()).isZero();
    Result in = Apt.install(sb, "acpi-call-dkms");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    assertThat(in.stdout())
        .as(in.describe())
        .contains(
            "note: acpi-call/1.2.2 for "
                + k1
                + ": provided by the package acpi-call-modules-"
                + k1
                + " (prebuilt), not built")
        .containsPattern("acpi-call/1.2.2 +" + k2 + " +installed");
    Result after =
        sb.sh(
            "dpkg -V acpi-call-modules-"
                + k1
                + "; sha256sum "
                + ko
                + "; dkms status -m acpi-call; apt-get -q -y purge acpi-call-dkms > /dev/null;"
                + " sha256sum "
                + ko
                + "; ls /lib/modules/"
                + k2
                + "/updates/dkms/ | wc -l; dkms status");
    String sum = pre.stdoutLines().get(pre.stdoutLines().size() - 1);
    String prebuilt =
        "acpi-call/1.2.2, " + k1 + ", x86_64: installed (prebuilt: acpi-call-modules-" + k1 + ")";
    assertThat(after.stdoutLines())
        .as(after.describe())
        .containsExactly(
            sum, "acpi-call/1.2.2, " + k2 + ", x86_64: installed", prebuilt, sum, "0", prebuilt);
  }

  /** Both modules installed for {@code k}: in place, indexed, signed by the fleet's key. */
  private static void assertModulesIn(String k) {
    String id = farmKeyId();
    for (String[] m : FleetFarm.MODULES) {
      String ko = m[2];
      Result r =
          target.sh(
              "ls /lib/modules/"
                  + k
                  + "/updates/dkms/"
                  + ko
                  + ".ko*;"
                  + " grep -c '^updates/dkms/"
                  + ko
                  + "\\.ko[^:]*:' /lib/modules/"
                  + k
                  + "/modules.dep; modinfo -k "
                  + k
                  + " -F signer "
                  + ko
                  + ";"
                  + " modinfo -k "
                  + k
                  + " -F sig_key "
                  + ko
                  + ";"
                  + " modinfo -k "
                  + k
                  + " -F vermagic "
                  + ko
                  + " | cut -d' ' -f1;"
                  + " modprobe -S "
                  + k
                  + " --dry-run --show-depends "
                  + ko
                  + " | tail -n 1");
      assertThat(r.stdoutLines())
          .as(r.describe())
          .hasSize(6)
          .startsWith("/lib/modules/" + k + "/updates/dkms/" + ko + ".ko", "1", "jdkms fleet test")
          .contains(id, k);
      assertThat(r.stdoutLines().get(5))
          .contains("/lib/modules/" + k + "/updates/dkms/" + ko + ".ko");
    }
  }

  /**
   * The key id modinfo shows for a PKCS#7 signature: the certificate's serial number (the signature
   * names its signer by issuer and serial), as colon-separated upper-case hex.
   */
  private static String farmKeyId() {
    Result r =
        farm.sh(
                "openssl x509 -inform DER -in "
                    + FleetFarm.CERT
                    + " -noout -serial | sed 's/^serial=//; s/../&:/g; s/:$//'")
            .requireSuccess();
    return r.stdout().strip().toUpperCase(java.util.Locale.ROOT);
  }
}
