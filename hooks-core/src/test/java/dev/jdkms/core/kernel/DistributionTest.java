package dev.jdkms.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DistributionTest {
  @TempDir Path dir;

  static final String DEBIAN =
      """
      PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
      NAME="Debian GNU/Linux"
      VERSION_ID="12"
      VERSION="12 (bookworm)"
      VERSION_CODENAME=bookworm
      ID=debian
      HOME_URL="https://www.debian.org/"
      """;

  static final String UBUNTU =
      """
      PRETTY_NAME="Ubuntu 24.04.1 LTS"
      NAME="Ubuntu"
      VERSION_ID="24.04"
      ID=ubuntu
      ID_LIKE=debian
      UBUNTU_CODENAME=noble
      """;

  static final String RHEL =
      """
      NAME="Red Hat Enterprise Linux"
      VERSION="9.4 (Plow)"
      ID="rhel"
      ID_LIKE="fedora"
      VERSION_ID="9.4"
      """;

  static final String ROCKY =
      """
      NAME="Rocky Linux"
      VERSION="9.4 (Blue Onyx)"
      ID="rocky"
      ID_LIKE="rhel centos fedora"
      VERSION_ID="9.4"
      """;

  static final String MINT =
      """
      NAME="Linux Mint"
      VERSION="21.3 (Virginia)"
      ID=linuxmint
      ID_LIKE="ubuntu debian"
      """;

  static final String ARCH =
      """
      NAME="Arch Linux"
      PRETTY_NAME="Arch Linux"
      ID=arch
      BUILD_ID=rolling
      """;

  static final String ALPINE =
      """
      NAME="Alpine Linux"
      ID=alpine
      VERSION_ID=3.20.3
      """;

  static final String OPENSUSE =
      """
      NAME="openSUSE Tumbleweed"
      ID="opensuse-tumbleweed"
      ID_LIKE="opensuse suse"
      """;

  @Test
  void classesFollowUpstreamDistroVersion() {
    assertThat(Distribution.fromOsRelease(DEBIAN).name()).isEqualTo("debian");
    // ubuntu wins over its own ID_LIKE=debian
    assertThat(Distribution.fromOsRelease(UBUNTU).name()).isEqualTo("ubuntu");
    // real RHEL says ID_LIKE=fedora, so upstream files it under fedora (no weak-modules)
    assertThat(Distribution.fromOsRelease(RHEL).name()).isEqualTo("fedora");
    // the whole ID_LIKE string, not its first word
    assertThat(Distribution.fromOsRelease(ROCKY).name()).isEqualTo("rhel centos fedora");
    assertThat(Distribution.fromOsRelease(MINT).name()).isEqualTo("ubuntu debian");
    assertThat(Distribution.fromOsRelease(ARCH).name()).isEqualTo("arch");
    assertThat(Distribution.fromOsRelease(ALPINE).name()).isEqualTo("alpine");
    assertThat(Distribution.fromOsRelease(OPENSUSE).name()).isEqualTo("opensuse suse");
  }

  @Test
  void quotedValuesAreUnquotedLikeBashDoes() {
    assertThat(Distribution.fromOsRelease("ID='gentoo'\n").name()).isEqualTo("gentoo");
    assertThat(Distribution.fromOsRelease("ID=\"x\"\nID_LIKE=\"a \\\"b\\\"\"\n").name())
        .isEqualTo("a \"b\"");
    assertThat(Distribution.fromOsRelease("  ID=debian  \n").name()).isEqualTo("debian");
    assertThat(Distribution.fromOsRelease("# ID=fedora\nID=debian\n").name()).isEqualTo("debian");
    // the last assignment wins, as when the file is sourced
    assertThat(Distribution.fromOsRelease("ID=fedora\nID=debian\n").name()).isEqualTo("debian");
  }

  @Test
  void anEmptyIdLikeIsStillSetAndWins() {
    // bash: ${#ID_LIKE[@]} is 1 for ID_LIKE="", so upstream echoes the empty string
    assertThat(Distribution.fromOsRelease("ID=debian\nID_LIKE=\"\"\n").name()).isEmpty();
    assertThat(Distribution.fromOsRelease("NAME=x\n").name()).isEmpty();
  }

  @Test
  void detectReadsTheFirstExistingFile() throws IOException {
    Path etc = dir.resolve("etc-os-release");
    Path usr = dir.resolve("usr-lib-os-release");
    assertThat(Distribution.detect(List.of(etc, usr))).isEmpty();
    Files.writeString(usr, ARCH);
    assertThat(Distribution.detect(List.of(etc, usr))).contains(new Distribution("arch"));
    Files.writeString(etc, UBUNTU);
    assertThat(Distribution.detect(List.of(etc, usr)).map(Distribution::name)).contains("ubuntu");
  }

  @Test
  void standardFilesInUpstreamOrder() {
    assertThat(Distribution.standardFiles())
        .containsExactly(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"));
  }

  @ParameterizedTest
  @CsvSource({
    "fedora, /extra",
    "rhel centos fedora, /extra",
    "centos, /extra",
    "rhel, /extra",
    "sles, /updates",
    "suse, /updates",
    "opensuse suse, /updates",
    "debian, /updates/dkms",
    "ubuntu, /updates/dkms",
    "ubuntu debian, /updates/dkms",
    "arch, /updates/dkms",
    "gentoo, /kernel/drivers/misc",
    "alpine, /kernel/drivers/misc",
    // prefix match on the whole class string, as bash's case globs do
    "debianish, /updates/dkms",
    "mageia fedora, /kernel/drivers/misc",
  })
  void destModuleLocationPerClass(String name, String expected) {
    assertThat(new Distribution(name).destModuleLocation("/kernel/drivers/misc", ""))
        .isEqualTo(expected);
    assertThat(new Distribution(name).destModuleLocation("/kernel/drivers/misc", null))
        .isEqualTo(expected);
  }

  @Test
  void addonModulesDirOverridesEveryDistribution() {
    for (String d : List.of("debian", "fedora", "suse", "alpine")) {
      assertThat(new Distribution(d).destModuleLocation("/kernel/x", "weak/addon"))
          .isEqualTo("/weak/addon");
    }
  }

  @Test
  void isAndUsesUnameArch() {
    Distribution rocky = new Distribution("rhel centos fedora");
    assertThat(rocky.is("rhel")).isTrue();
    assertThat(rocky.is("centos")).isFalse();
    assertThat(rocky.is("centos", "rhel")).isTrue();
    assertThat(rocky.usesUnameArch()).isFalse();
    assertThat(new Distribution("ubuntu debian").usesUnameArch()).isTrue();
    assertThat(new Distribution("arch").usesUnameArch()).isTrue();
    assertThat(new Distribution("gentoo").usesUnameArch()).isTrue();
    assertThat(new Distribution("debian").usesUnameArch()).isTrue();
    assertThat(new Distribution("fedora").usesUnameArch()).isFalse();
  }

  static final String ALMA =
      """
      NAME="AlmaLinux"
      ID="almalinux"
      ID_LIKE="rhel centos fedora"
      """;

  static final String FEDORA =
      """
      NAME="Fedora Linux"
      ID=fedora
      VERSION_ID=41
      """;

  static final String CENTOS_STREAM =
      """
      NAME="CentOS Stream"
      ID="centos"
      ID_LIKE="rhel fedora"
      """;

  static final String SLES =
      """
      NAME="SLES"
      ID="sles"
      ID_LIKE="suse"
      """;

  static final String ORACLE =
      """
      NAME="Oracle Linux Server"
      ID="ol"
      ID_LIKE="fedora"
      """;

  @Test
  void weakUpdatesOnRhelItsRebuildsAndSuseOnly() {
    for (String linking : List.of(RHEL, ROCKY, ALMA, CENTOS_STREAM, SLES, OPENSUSE)) {
      assertThat(Distribution.fromOsRelease(linking).linksWeakUpdates()).as(linking).isTrue();
    }
    for (String not : List.of(FEDORA, ORACLE, DEBIAN, UBUNTU, MINT, ARCH, ALPINE)) {
      assertThat(Distribution.fromOsRelease(not).linksWeakUpdates()).as(not).isFalse();
    }
    // real RHEL links although upstream's class for it is fedora
    assertThat(Distribution.fromOsRelease(RHEL).ids()).containsExactly("rhel", "fedora");
    // a word must be the family, not merely start like it
    assertThat(Distribution.fromOsRelease("ID=rhelish\n").linksWeakUpdates()).isFalse();
    assertThat(new Distribution("rhel centos fedora").linksWeakUpdates()).isTrue();
    assertThat(new Distribution("fedora").linksWeakUpdates()).isFalse();
  }
}
