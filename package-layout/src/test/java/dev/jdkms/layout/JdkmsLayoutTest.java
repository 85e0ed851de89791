package dev.jdkms.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.layout.LayoutEntry.Format;
import dev.jdkms.layout.LayoutEntry.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdkmsLayoutTest {
  private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

  /** The directories of the checkout whose every file is shipped by some package. */
  private static final List<String> SHIPPED_TREES =
      List.of(
          "apt-hook/src/deb/root",
          "dkms-cli/src/main/dist",
          "kernel-install-plugin/src/main/dist/root",
          "pacman-hook/src/main/alpm/hooks",
          "pacman-hook/src/main/alpm/scripts");

  @Test
  void everySourceIsInTheCheckout() {
    for (LayoutEntry e : JdkmsLayout.ENTRIES) {
      if (e.isRegularFile() && !e.builtSource()) {
        assertThat(e.sourceIn(CHECKOUT)).as(e.path()).isRegularFile();
      }
    }
  }

  @Test
  void everyFileOfTheShippedTreesIsInSomePackage() throws IOException {
    Set<String> sources =
        JdkmsLayout.ENTRIES.stream()
            .filter(LayoutEntry::isRegularFile)
            .map(LayoutEntry::source)
            .collect(Collectors.toSet());
    for (String tree : SHIPPED_TREES) {
      try (Stream<Path> walk = Files.walk(CHECKOUT.resolve(tree))) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          assertThat(sources).contains(CHECKOUT.relativize(p).toString());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void noPathTwiceAndDirectoriesBeforeWhatTheyHold(Format format) {
    List<String> paths = JdkmsLayout.entries(format).stream().map(LayoutEntry::path).toList();
    assertThat(paths).doesNotHaveDuplicates();
    List<String> dirs =
        JdkmsLayout.entries(format).stream()
            .filter(e -> e.kind() == Kind.DIRECTORY)
            .map(LayoutEntry::path)
            .toList();
    assertThat(paths.subList(0, dirs.size())).isEqualTo(dirs);
    assertThat(dirs).doesNotContainAnyElementsOf(JdkmsLayout.unownedParents(format));
  }

  @Test
  void theRpmOwnsNoDirectoryOfTheBaseSystem() {
    assertThat(JdkmsLayout.unownedParents(Format.RPM))
        .containsExactly(
            "/etc",
            "/usr",
            "/usr/bin",
            "/usr/lib",
            "/usr/lib/kernel",
            "/usr/lib/kernel/install.d",
            "/usr/lib/systemd",
            "/usr/lib/systemd/system",
            "/usr/sbin",
            "/usr/share",
            "/usr/share/bash-completion",
            "/usr/share/bash-completion/completions",
            "/usr/share/man",
            "/usr/share/man/man8",
            "/var",
            "/var/lib");
  }

  @Test
  void conffilesPerPackage() {
    assertThat(JdkmsLayout.conffiles(Format.DEB))
        .containsExactly(
            "/etc/dkms/framework.conf",
            "/etc/kernel/header_postinst.d/dkms",
            "/etc/kernel/postinst.d/dkms",
            "/etc/kernel/postrm.d/dkms",
            "/etc/kernel/preinst.d/dkms",
            "/etc/kernel/prerm.d/dkms");
    assertThat(JdkmsLayout.conffiles(Format.RPM)).containsExactly("/etc/dkms/framework.conf");
    assertThat(JdkmsLayout.conffiles(Format.PACMAN)).containsExactly("/etc/dkms/framework.conf");
  }

  @Test
  void copiedSourcesStandInForTheJar(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws IOException {
    Path copy = LayoutSources.copy(CHECKOUT, tmp.resolve("checkout"), "jar");
    assertThat(copy.resolve("dkms-cli/target/dkms.jar")).hasContent("jar");
    assertThat(copy.resolve("dkms-cli/src/main/dist/bin/dkms"))
        .hasSameBinaryContentAs(CHECKOUT.resolve("dkms-cli/src/main/dist/bin/dkms"));
  }
}
