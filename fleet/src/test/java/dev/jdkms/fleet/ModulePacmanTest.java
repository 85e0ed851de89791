package dev.jdkms.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.pacman.format.PackageReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pacman packages read back: members, .PKGINFO, .INSTALL, and as pacman -Qip shows them. */
class ModulePacmanTest {
  @TempDir Path dir;

  @Test
  void aPackagePerBuiltUnitNamedByItsKernelPackage() throws Exception {
    Path ko = Files.writeString(dir.resolve("hello.ko"), "module");
    List<UnitResult> units =
        List.of(
            ModuleDebsTest.built("6.12.1-arch1-1", ko, false),
            ModuleDebsTest.built("6.6.63-1-lts", ko, true),
            ModuleDebsTest.failed("6.12.2-arch1-1"));
    List<Path> pkgs =
        new ModulePacman(
                dir.resolve("out"), "x86_64", "Fleet <f@example.org>", Instant.ofEpochSecond(7))
            .write(units);
    assertThat(pkgs)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "hello-6.12.1.arch1.1+1.0-1-x86_64.pkg.tar.zst",
            "hello-lts-6.6.63.1.lts+1.0-1-x86_64.pkg.tar.zst");

    PackageReader linux = PackageReader.read(pkgs.get(0));
    assertThat(linux.names())
        .containsExactly(
            ".PKGINFO",
            ".MTREE",
            ".INSTALL",
            "usr/",
            "usr/lib/",
            "usr/lib/jdkms/",
            "usr/lib/jdkms/prebuilt/",
            "usr/lib/jdkms/prebuilt/6.12.1-arch1-1/",
            "usr/lib/jdkms/prebuilt/6.12.1-arch1-1/hello",
            "usr/lib/modules/",
            "usr/lib/modules/6.12.1-arch1-1/",
            "usr/lib/modules/6.12.1-arch1-1/updates/",
            "usr/lib/modules/6.12.1-arch1-1/updates/dkms/",
            "usr/lib/modules/6.12.1-arch1-1/updates/dkms/hello.ko");
    assertThat(linux.text("usr/lib/jdkms/prebuilt/6.12.1-arch1-1/hello"))
        .contains("package=hello\n")
        .contains(" updates/dkms/hello.ko\n");
    assertThat(linux.text(".PKGINFO"))
        .contains("pkgname = hello\n")
        .contains("pkgver = 6.12.1.arch1.1+1.0-1\n")
        .contains("packager = Fleet <f@example.org>\n")
        .contains("builddate = 7\n")
        .contains("depend = linux=6.12.1.arch1-1\n");
    assertThat(linux.text(".INSTALL"))
        .contains("post_install() {\n    if [ -d /usr/lib/modules/6.12.1-arch1-1 ]; then\n")
        .contains("        depmod -a 6.12.1-arch1-1\n")
        .doesNotContain("mkinitcpio");

    PackageReader lts = PackageReader.read(pkgs.get(1));
    assertThat(lts.text(".PKGINFO")).contains("depend = linux-lts=6.6.63-1\n");
    assertThat(lts.text(".INSTALL")).contains("mkinitcpio -P");

    Files.createDirectories(dir.resolve("db"));
    String info =
        ModuleRpmsTest.run(
            "pacman", "--dbpath", dir.resolve("db").toString(), "-Qip", pkgs.get(1).toString());
    assertThat(info)
        .containsPattern("Name +: hello-lts\n")
        .containsPattern("Version +: 6.6.63.1.lts\\+1.0-1\n")
        .containsPattern("Depends On +: linux-lts=6.6.63-1\n")
        .containsPattern("Install Script +: Yes\n");
    assertThat(
            ModuleRpmsTest.run(
                "pacman", "--dbpath", dir.resolve("db").toString(), "-Qlp", pkgs.get(0).toString()))
        .contains("hello /usr/lib/modules/6.12.1-arch1-1/updates/dkms/hello.ko\n");
  }
}
