package dev.jdkms.core.conf;

import static dev.jdkms.core.conf.Confs.HEADER;
import static dev.jdkms.core.conf.Confs.ONE_MODULE;
import static dev.jdkms.core.conf.Confs.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.kernel.Distribution;
import dev.jdkms.core.kernel.KernelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** upstream's check_build_exclusive_for_module and build_exclude. */
class DkmsConfTest {
  static final String TWO_MODULES =
      HEADER + "BUILT_MODULE_NAME=(a b)\nDEST_MODULE_LOCATION=(/kernel /kernel)\n";

  @TempDir Path dir;
  Confs confs;

  @BeforeEach
  void setUp() {
    confs = new Confs(dir);
  }

  private DkmsConf on(String kernel, String arch, String text) {
    return confs.conf(text, context(kernel, arch, "debian"));
  }

  private DkmsConf withConfig(String kernel, String configText, String text) throws IOException {
    Path cfg = dir.resolve(".config-" + Integer.toHexString(configText.hashCode()));
    Files.writeString(cfg, configText);
    Optional<KernelConfig> kc = KernelConfig.read(cfg);
    return confs.conf(
        text,
        new DkmsConfInterpreter.Context(
            kernel, "x86_64", new Distribution("debian"), "", "make", false, kc));
  }

  @Test
  void withoutDirectivesEverythingIsBuildable() {
    DkmsConf c = on("6.1", "x86_64", ONE_MODULE);
    assertThat(c.isBuildable(0)).isTrue();
    assertThat(c.buildExcluded()).isFalse();
    assertThat(c.hasPerModuleExclusive()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "6.1.0-9-amd64, true",
    "6.10.2, true",
    "5.10.0-30-amd64, false",
    "16.1, false",
  })
  void kernelRegex(String kernel, boolean buildable) {
    DkmsConf c = on(kernel, "x86_64", ONE_MODULE + "BUILD_EXCLUSIVE_KERNEL='^6\\.'\n");
    assertThat(c.isBuildable(0)).isEqualTo(buildable);
    assertThat(c.buildExcluded()).isEqualTo(!buildable);
  }

  @ParameterizedTest
  @CsvSource({
    // MIN 6.1: VER(6.1.0) = 006.001.000 is not below 006.001
    "6.1, 6.1, 6.3, true",
    "6.1.0-9-amd64, 6.1, 6.3, true",
    "6.0.9, 6.1, 6.3, false",
    "6.3, 6.1, 6.3, true",
    // MAX 6.3 excludes 6.3.1 and, as upstream, 6.3-rc1
    "6.3.1, 6.1, 6.3, false",
    "6.3-rc1, 6.1, 6.3, false",
    "4.12, 4.0, 4.12, true",
    "4.12-rc1, 4.0, 4.12, false",
    "6.1.0-56-amd64, 6.1.0-9, 6.1.0-99, true",
    "6.1.0-9-amd64, 6.1.0-10, 6.1.0-99, false",
  })
  void kernelMinAndMaxCompareWithVer(String kernel, String min, String max, boolean buildable) {
    DkmsConf c =
        on(
            kernel,
            "x86_64",
            ONE_MODULE
                + "BUILD_EXCLUSIVE_KERNEL_MIN="
                + min
                + "\nBUILD_EXCLUSIVE_KERNEL_MAX="
                + max
                + "\n");
    assertThat(c.isBuildable(0)).isEqualTo(buildable);
    assertThat(c.buildExcluded()).isEqualTo(!buildable);
  }

  @Test
  void obsoleteByExcludesNewerKernels() {
    assertThat(on("6.2", "x86_64", ONE_MODULE + "OBSOLETE_BY=6.1\n").buildExcluded()).isTrue();
    assertThat(on("6.1", "x86_64", ONE_MODULE + "OBSOLETE_BY=6.1\n").buildExcluded()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "x86_64, true",
    "aarch64, true",
    "armv7l, false",
  })
  void archRegex(String arch, boolean buildable) {
    DkmsConf c = on("6.1", arch, ONE_MODULE + "BUILD_EXCLUSIVE_ARCH='^(x86_64|aarch64)$'\n");
    assertThat(c.isBuildable(0)).isEqualTo(buildable);
    // the test suite's dkms_build_exclusive_test uses "none" to exclude every arch
    assertThat(on("6.1", arch, ONE_MODULE + "BUILD_EXCLUSIVE_ARCH=none\n").buildExcluded())
        .isTrue();
  }

  @Test
  void configOptionsWithNegation() throws IOException {
    String cfg = "CONFIG_A=y\nCONFIG_B=m\nCONFIG_C=n\n# CONFIG_D is not set\n";
    assertThat(
            withConfig("6.1", cfg, ONE_MODULE + "BUILD_EXCLUSIVE_CONFIG='CONFIG_A CONFIG_B'\n")
                .buildExcluded())
        .isFalse();
    assertThat(
            withConfig("6.1", cfg, ONE_MODULE + "BUILD_EXCLUSIVE_CONFIG='CONFIG_A CONFIG_C'\n")
                .buildExcluded())
        .isTrue();
    assertThat(
            withConfig("6.1", cfg, ONE_MODULE + "BUILD_EXCLUSIVE_CONFIG='!CONFIG_D CONFIG_A'\n")
                .buildExcluded())
        .isFalse();
    assertThat(
            withConfig("6.1", cfg, ONE_MODULE + "BUILD_EXCLUSIVE_CONFIG='!CONFIG_B'\n")
                .buildExcluded())
        .isTrue();
    assertThat(
            withConfig("6.1", cfg, ONE_MODULE + "BUILD_EXCLUSIVE_CONFIG='  CONFIG_A\t CONFIG_B '\n")
                .buildExcluded())
        .isFalse();
  }

  @Test
  void configIsIgnoredWithoutAKernelConfig() {
    DkmsConf c = on("6.1", "x86_64", ONE_MODULE + "BUILD_EXCLUSIVE_CONFIG='CONFIG_NOPE'\n");
    assertThat(c.isBuildable(0)).isTrue();
    assertThat(c.buildExcluded()).isFalse();
  }

  @Test
  void perModuleDirectivesExcludeOnlyTheirRecord() {
    DkmsConf c = on("6.1", "x86_64", TWO_MODULES + "BUILD_EXCLUSIVE_KERNEL[1]='^5\\.'\n");
    assertThat(c.isBuildable(0)).isTrue();
    assertThat(c.isBuildable(1)).isFalse();
    assertThat(c.buildExcluded()).isFalse();
    assertThat(c.hasPerModuleExclusive()).isTrue();

    DkmsConf both =
        on(
            "6.1",
            "x86_64",
            TWO_MODULES + "BUILD_EXCLUSIVE_ARCH[0]=arm\nBUILD_EXCLUSIVE_KERNEL_MAX[1]=6.0\n");
    assertThat(both.isBuildable(0)).isFalse();
    assertThat(both.isBuildable(1)).isFalse();
    assertThat(both.buildExcluded()).isTrue();
  }

  @Test
  void perModuleMinMaxAndConfig() throws IOException {
    DkmsConf c =
        on(
            "6.1",
            "x86_64",
            TWO_MODULES + "BUILD_EXCLUSIVE_KERNEL_MIN[1]=6.2\nBUILD_EXCLUSIVE_KERNEL_MAX[0]=6.1\n");
    assertThat(c.isBuildable(0)).isTrue();
    assertThat(c.isBuildable(1)).isFalse();

    DkmsConf cfg =
        withConfig("6.1", "CONFIG_X=y\n", TWO_MODULES + "BUILD_EXCLUSIVE_CONFIG[1]='!CONFIG_X'\n");
    assertThat(cfg.isBuildable(0)).isTrue();
    assertThat(cfg.isBuildable(1)).isFalse();
    assertThat(cfg.hasPerModuleExclusive()).isTrue();
  }

  @Test
  void aGlobalDirectiveAppliesToEveryRecord() {
    DkmsConf c =
        on(
            "6.1",
            "x86_64",
            TWO_MODULES + "BUILD_EXCLUSIVE_KERNEL='^5'\nBUILD_EXCLUSIVE_KERNEL[1]='^6'\n");
    // element 0 is the global directive: record 1 must satisfy both
    assertThat(c.isBuildable(0)).isFalse();
    assertThat(c.isBuildable(1)).isFalse();
    assertThat(c.buildExcluded()).isTrue();
    // upstream's uninstall check loops over every record, index 0 (the global value) included
    assertThat(
            on("6.1", "x86_64", TWO_MODULES + "BUILD_EXCLUSIVE_KERNEL='^6'\n")
                .hasPerModuleExclusive())
        .isTrue();
    // a directive on an index beyond the records is not looked at
    assertThat(
            on("6.1", "x86_64", TWO_MODULES + "BUILD_EXCLUSIVE_ARCH[5]=arm\n")
                .hasPerModuleExclusive())
        .isFalse();
  }

  @Test
  void zeroModulesAreNeverExcluded() {
    // upstream only notices directives while looping over records
    DkmsConf c = on("6.1", "x86_64", HEADER + "BUILD_EXCLUSIVE_ARCH=none\n");
    assertThat(c.modules()).isEmpty();
    assertThat(c.buildExcluded()).isFalse();
  }
}
