package dev.jdkms.pacman;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jdkms package's content, from this checkout with a stand-in for the shaded jar. */
class JdkmsPackageTest {
  @TempDir Path tmp;

  // A copy of the parts of the checkout the package takes files from (no links: @TempDir warns).
  private Path repo() throws IOException {
    Path real = Path.of(System.getProperty("user.dir")).resolve("..").toRealPath();
    Path repo = tmp.resolve("repo");
    for (String dir :
        List.of("apt-hook/src/deb/root", "pacman-hook/src/main/alpm", "dkms-cli/src/main/dist")) {
      try (Stream<Path> walk = Files.walk(real.resolve(dir))) {
        for (Path p : walk.toList()) {
          Path to = repo.resolve(real.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
    Files.writeString(
        Files.createDirectories(repo.resolve("dkms-cli/target")).resolve("dkms.jar"), "jar");
    return repo;
  }

  @Test
  void theDropInItsHooksAndTheHandler() throws IOException {
    Path out =
        JdkmsPackage.builder(repo(), "0.1.0_SNAPSHOT-1", "3.4.3", 1_767_225_600L)
            .write(tmp.resolve("jdkms-0.1.0_SNAPSHOT-1-any.pkg.tar.zst"));
    PackageBuilderTest.Read r = PackageBuilderTest.read(out);
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
