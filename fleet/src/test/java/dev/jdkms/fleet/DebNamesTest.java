package dev.jdkms.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebNamesTest {
  @Test
  void perKernelPackagesAreNamedAsModuleAssistantAndMkbmdebNamedThem() {
    assertThat(DebNames.perKernel("v4l2loopback", "6.1.0-57-amd64"))
        .isEqualTo("v4l2loopback-modules-6.1.0-57-amd64");
    assertThat(DebNames.perKernel("acpi_call", "6.12.57+deb13-amd64"))
        .isEqualTo("acpi-call-modules-6.12.57+deb13-amd64");
    assertThat(DebNames.stem("NVIDIA_Current")).isEqualTo("nvidia-current");
  }

  @Test
  void theMetapackageFollowsTheFlavourAsLinuxImageDoes() {
    assertThat(DebNames.flavour("6.1.0-57-amd64")).isEqualTo("amd64");
    assertThat(DebNames.flavour("6.1.0-57-cloud-amd64")).isEqualTo("cloud-amd64");
    assertThat(DebNames.flavour("6.12.57+deb13-rt-amd64")).isEqualTo("rt-amd64");
    assertThat(DebNames.metapackage("acpi-call", "6.1.0-57-cloud-amd64"))
        .isEqualTo("acpi-call-modules-cloud-amd64");
  }

  @Test
  void versionsAreValidForDpkgAndTheMetapackageRisesWithTheKernel() {
    assertThat(DebNames.version("0.12.7")).isEqualTo("0.12.7");
    assertThat(DebNames.version("1.0-rc1")).isEqualTo("1.0~rc1");
    assertThat(DebNames.version("git_2024")).isEqualTo("0~git2024");
    assertThat(DebNames.metaVersion("6.1.0-57-amd64", "1.2.2")).isEqualTo("6.1.0.57+1.2.2");
    assertThat(DebNames.metaVersion("6.12.57+deb13-amd64", "1.2.2"))
        .isEqualTo("6.12.57+deb13+1.2.2");
  }

  @Test
  void fileNamesAndArchitecturesAreDpkgs() {
    assertThat(DebNames.fileName("a-modules-amd64", "6.1.0.57+1", "amd64"))
        .isEqualTo("a-modules-amd64_6.1.0.57+1_amd64.deb");
    assertThat(DebNames.architecture("amd64")).isEqualTo("amd64");
    assertThat(DebNames.architecture("aarch64")).isEqualTo("arm64");
  }
}
