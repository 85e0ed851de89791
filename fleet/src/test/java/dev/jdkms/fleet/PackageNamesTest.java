package dev.jdkms.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.redline_rpm.header.Architecture;

/** The rpm and pacman names from kernel releases of several distributions, and --format. */
class PackageNamesTest {
  @Test
  void rpmNamesFollowKmodtool() {
    assertThat(RpmNames.perKernel("acpi_call", "6.8.9-300.fc40.x86_64"))
        .isEqualTo("kmod-acpi-call-6.8.9-300.fc40.x86_64");
    assertThat(RpmNames.metapackage("acpi_call")).isEqualTo("kmod-acpi-call");
    assertThat(RpmNames.kmodCapability("acpi_call")).isEqualTo("acpi-call-kmod");
    assertThat(RpmNames.version("1.0-rc1")).isEqualTo("1.0~rc1");
    assertThat(RpmNames.metaRelease("6.8.9-300.fc40.x86_64")).isEqualTo("6.8.9.300.fc40.x86_64");
    assertThat(RpmNames.moduleDir("6.8.9-300.fc40.x86_64"))
        .isEqualTo("/usr/lib/modules/6.8.9-300.fc40.x86_64/extra");
    assertThat(RpmNames.architecture("amd64")).isEqualTo(Architecture.X86_64);
  }

  @Test
  void pacmanNamesFollowArchsKernelPackages() {
    assertThat(PacmanNames.kernelPackage("6.12.1-arch1-1"))
        .contains(new PacmanNames.KernelPackage("linux", "6.12.1.arch1-1", ""));
    assertThat(PacmanNames.kernelPackage("6.6.63-1-lts"))
        .contains(new PacmanNames.KernelPackage("linux-lts", "6.6.63-1", "lts"));
    assertThat(PacmanNames.kernelPackage("6.12.1-zen1-1-zen"))
        .contains(new PacmanNames.KernelPackage("linux-zen", "6.12.1.zen1-1", "zen"));
    assertThat(PacmanNames.kernelPackage("6.12.57+deb13-amd64")).isEmpty();
    assertThat(PacmanNames.kernelPackage("6.8.9-300.fc40.x86_64")).isEmpty();
    assertThat(PacmanNames.packageName("nvidia", "6.12.1-arch1-1")).isEqualTo("nvidia");
    assertThat(PacmanNames.packageName("nvidia", "6.6.63-1-lts")).isEqualTo("nvidia-lts");
    assertThat(PacmanNames.packageName("acpi_call", "6.12.57+deb13-amd64"))
        .isEqualTo("acpi-call-amd64");
    assertThat(PacmanNames.version("6.12.1-arch1-1", "1.0-rc1"))
        .isEqualTo("6.12.1.arch1.1+1.0_rc1-1");
    assertThat(PacmanNames.moduleDir("6.12.1-arch1-1"))
        .isEqualTo("usr/lib/modules/6.12.1-arch1-1/updates/dkms");
  }

  @Test
  void formatsAreOneOrSeveralAndAnUnknownOneIsRefusedInALine() throws Exception {
    UnitResult u = ModuleDebsTest.built("6.6.63-1-lts", Path.of("hello.ko"), false);
    PackageWriter all =
        PackageWriter.of("deb,rpm,pacman", Path.of("out"), "amd64", "m", Instant.EPOCH);
    assertThat(all.packageName(u))
        .isEqualTo("hello-modules-6.6.63-1-lts, kmod-hello-6.6.63-1-lts, hello-lts");
    assertThat(PackageWriter.of("rpm", Path.of("out"), "amd64", "m", Instant.EPOCH))
        .isInstanceOf(ModuleRpms.class);
    assertThatThrownBy(
            () -> PackageWriter.of("deb,snap", Path.of("out"), "amd64", "m", Instant.EPOCH))
        .isInstanceOf(FleetException.class)
        .hasMessage(
            "--format deb,snap: unknown format 'snap' (expected deb, rpm, pacman, or several"
                + " separated by commas)");
  }
}
