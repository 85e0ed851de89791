package dev.jdkms.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelConfigTest {
  @TempDir Path dir;

  private KernelConfig config(String text) throws IOException {
    Path p = dir.resolve("config-" + Integer.toHexString(text.hashCode()));
    Files.writeString(p, text);
    return KernelConfig.read(p).orElseThrow();
  }

  @Test
  void readIsEmptyForAMissingFileOrADirectory() throws IOException {
    assertThat(KernelConfig.read(dir.resolve("nope"))).isEmpty();
    assertThat(KernelConfig.read(dir)).isEmpty();
  }

  @Test
  void compilerFromTheQuotedDotConfigForm() throws IOException {
    KernelConfig c =
        config(
            "CONFIG_CC_IS_GCC=y\n"
                + "CONFIG_CC_VERSION_TEXT=\"gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0\"\n");
    assertThat(c.compiler()).contains("gcc");
  }

  @Test
  void compilerFromTheUnquotedAutoConfForm() throws IOException {
    KernelConfig c =
        config(
            "CONFIG_CC_VERSION_TEXT=x86_64-linux-gnu-gcc-12 (Ubuntu 12.3.0-1ubuntu1~22.04) 12.3.0\n");
    assertThat(c.compiler()).contains("x86_64-linux-gnu-gcc-12");
    KernelConfig q =
        config(
            "CONFIG_CC_VERSION_TEXT=\"x86_64-linux-gnu-gcc-12 (Ubuntu 12.3.0-1ubuntu1~22.04)"
                + " 12.3.0\"\n");
    assertThat(q.compiler()).contains("x86_64-linux-gnu-gcc-12");
  }

  /** Expected values recorded by running upstream's sed expression on each line. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "CONFIG_CC_VERSION_TEXT=\"clang version 16.0.6\"|clang",
        "CONFIG_CC_VERSION_TEXT=\"\"gcc x|gcc",
        // upstream needs a space after the first word, but nothing after that space
        "'CONFIG_CC_VERSION_TEXT=gcc '|gcc",
        "CONFIG_CC_VERSION_TEXT=\"gcc\"|",
        "CONFIG_CC_VERSION_TEXT=gcc\"x y|",
        "CONFIG_CC_VERSION_TEXT=\"\" x|",
        "' CONFIG_CC_VERSION_TEXT=\"gcc x\"'|",
        "'# CONFIG_CC_VERSION_TEXT is not set'|",
      })
  void compilerFollowsUpstreamSedPattern(String line, String expected) throws IOException {
    Optional<String> cc = config(line + "\n").compiler();
    if (expected == null) {
      assertThat(cc).isEmpty();
    } else {
      assertThat(cc).contains(expected);
    }
  }

  @Test
  void isEnabledForYAndMOnlyAtLineStart() throws IOException {
    KernelConfig c =
        config(
            "CONFIG_A=y\nCONFIG_B=m\nCONFIG_C=n\n# CONFIG_D is not set\n"
                + " CONFIG_E=y\nCONFIG_F=\"y\"\nCONFIG_AB=y\n");
    assertThat(c.isEnabled("CONFIG_A")).isTrue();
    assertThat(c.isEnabled("CONFIG_B")).isTrue();
    assertThat(c.isEnabled("CONFIG_C")).isFalse();
    assertThat(c.isEnabled("CONFIG_D")).isFalse();
    assertThat(c.isEnabled("CONFIG_E")).isFalse();
    assertThat(c.isEnabled("CONFIG_F")).isFalse();
    assertThat(c.isEnabled("CONFIG_X")).isFalse();
    // CONFIG_AB=y does not make CONFIG_A... enabled twice, nor CONFIG_ABC
    assertThat(c.isEnabled("CONFIG_ABC")).isFalse();
  }

  @Test
  void valueStripsQuotesAndTakesTheFirstLine() throws IOException {
    KernelConfig c =
        config(
            "CONFIG_MODULE_SIG_HASH=\"sha512\"\nCONFIG_MODULE_SIG_HASH=\"sha1\"\n"
                + "CONFIG_LOCALVERSION=\n");
    assertThat(c.value("CONFIG_MODULE_SIG_HASH")).contains("sha512");
    assertThat(c.value("CONFIG_LOCALVERSION")).contains("");
    assertThat(c.value("CONFIG_MODULE_SIG")).isEmpty();
  }

  @Test
  void containsAndHasLineStartingWith() throws IOException {
    KernelConfig c = config("CONFIG_CC_IS_CLANG=y\n# foo CONFIG_LD_IS_LLD=y\n");
    assertThat(c.contains("CONFIG_LD_IS_LLD=y")).isTrue();
    assertThat(c.hasLineStartingWith("CONFIG_LD_IS_LLD=y")).isFalse();
    assertThat(c.hasLineStartingWith("CONFIG_CC_IS_CLANG=y")).isTrue();
    assertThat(c.path().getParent()).isEqualTo(dir);
  }
}
