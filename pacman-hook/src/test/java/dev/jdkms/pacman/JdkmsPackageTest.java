package dev.jdkms.pacman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.layout.JdkmsLayout;
import dev.jdkms.layout.LayoutEntry;
import dev.jdkms.layout.LayoutEntry.Format;
import dev.jdkms.layout.LayoutSources;
import dev.jdkms.pacman.format.PackageReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jdkms package's content, from this checkout with a stand-in for the shaded jar. */
class JdkmsPackageTest {
  @TempDir Path tmp;

  // The layout's sources copied from the checkout, a stand-in for the shaded jar.
  private Path repo() throws IOException {
    Path real = Path.of(System.getProperty("user.dir")).resolve("..").toRealPath();
    Path repo = LayoutSources.copy(real, tmp.resolve("repo"), "jar");
    String install = "pacman-hook/src/main/alpm/jdkms.install";
    Files.copy(real.resolve(install), repo.resolve(install));
    return repo;
  }

  private Path write() throws IOException {
    return JdkmsPackage.builder(repo(), "0.1.0_SNAPSHOT-1", "3.4.3", 1_767_225_600L)
        .write(tmp.resolve("jdkms-0.1.0_SNAPSHOT-1-any.pkg.tar.zst"));
  }

  /** The members read back are the layout's pacman entries, their parents and the metadata. */
  @Test
  void membersAreTheLayoutsPacmanEntries() throws IOException {
    PackageReader r = PackageReader.read(write());
    Map<String, String> actual = new TreeMap<>();
    r.entries().forEach((name, e) -> actual.put(name, row(e)));
    Map<String, String> expected = new TreeMap<>();
    for (String meta : List.of(".PKGINFO", ".MTREE", ".INSTALL")) {
      expected.put(meta, "file 644 ");
    }
    for (String dir : JdkmsLayout.unownedParents(Format.PACMAN)) {
      expected.put(dir.substring(1) + "/", "dir 755 ");
    }
    for (LayoutEntry e : JdkmsLayout.entries(Format.PACMAN)) {
      String mode = Integer.toOctalString(e.mode());
      switch (e.kind()) {
        case DIRECTORY -> expected.put(e.relativePath() + "/", "dir " + mode + " ");
        case FILE, CONFFILE -> expected.put(e.relativePath(), "file " + mode + " ");
        case SYMLINK -> expected.put(e.relativePath(), "link 777 " + e.source());
      }
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(r.text(".PKGINFO").lines().filter(l -> l.startsWith("backup = ")))
        .containsExactlyElementsOf(
            JdkmsLayout.conffiles(Format.PACMAN).stream()
                .map(p -> "backup = " + p.substring(1))
                .toList());
  }

  private static String row(TarArchiveEntry e) {
    String kind = e.isDirectory() ? "dir" : e.isSymbolicLink() ? "link" : "file";
    String owner = e.getLongUserId() == 0 && e.getLongGroupId() == 0 ? "" : " not root";
    return kind + " " + Integer.toOctalString(e.getMode() & 07777) + " " + e.getLinkName() + owner;
  }

  @Test
  void theDropInItsHooksAndTheHandler() throws IOException {
    PackageReader r = PackageReader.read(write());
    assertThat(r.names())
        .contains(
            ".PKGINFO",
            ".MTREE",
            ".INSTALL",
            "usr/bin/dkms",
            "usr/lib/jdkms/bin/dkms",
            "usr/lib/jdkms/bin/jdkms",
            "usr/lib/jdkms/lib/dkms.jar",
            "usr/lib/jdkms/hooks/java-setup",
            "usr/lib/dkms/dkms_autoinstaller",
            "etc/dkms/framework.conf",
            "etc/dkms/framework.conf.d/",
            "var/lib/dkms/",
            "usr/share/libalpm/hooks/69-jdkms-upgrade.hook",
            "usr/share/libalpm/hooks/70-jdkms-install.hook",
            "usr/share/libalpm/hooks/69-jdkms-remove.hook",
            "usr/share/libalpm/scripts/jdkms");
    assertThat(r.entries().get("usr/bin/dkms").getLinkName()).isEqualTo("../lib/jdkms/bin/dkms");
    assertThat(r.entries().get("usr/share/libalpm/scripts/jdkms").getMode() & 0777).isEqualTo(0755);
    assertThat(r.text(".PKGINFO").lines())
        .contains(
            "pkgname = jdkms",
            "pkgver = 0.1.0_SNAPSHOT-1",
            "arch = any",
            "license = Apache-2.0",
            "provides = dkms=3.4.3",
            "conflict = dkms",
            "backup = etc/dkms/framework.conf",
            "depend = java-runtime-headless>=17",
            "depend = gcc",
            "depend = make",
            "depend = kmod");
    assertThat(r.text(".INSTALL"))
        .contains("post_install()", "post_upgrade()", "/usr/lib/jdkms/hooks/java-setup");
    // The install hook runs after the upgrade note and before the initramfs generators (90-*).
    assertThat(r.text("usr/share/libalpm/hooks/70-jdkms-install.hook"))
        .contains(
            "When = PostTransaction",
            "NeedsTargets",
            "Target = usr/src/*/dkms.conf",
            "Exec = /usr/share/libalpm/scripts/jdkms install");
    assertThat(r.text("usr/share/libalpm/hooks/70-jdkms-install.hook"))
        .contains("Operation = Install", "Operation = Upgrade", "Operation = Remove");
    assertThat(r.text("usr/share/libalpm/hooks/69-jdkms-remove.hook"))
        .contains("Operation = Remove", "When = PostTransaction", "jdkms removed");
  }

  @Test
  void pkgverHasNoHyphen() {
    assertThat(JdkmsPackage.pkgver("0.1.0-SNAPSHOT")).isEqualTo("0.1.0_SNAPSHOT");
    assertThat(JdkmsPackage.pkgver("1.2.3")).isEqualTo("1.2.3");
  }
}
