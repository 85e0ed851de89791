package dev.jdkms.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jdkms.pacman.format.PackageReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source packages read back by dpkg-deb, rpm and pacman-format's reader: names, relations, the
 * tree under /usr/src/NAME-VERSION with its modes, and the maintainer scripts.
 */
class SourcePackagesTest {
  @TempDir Path dir;
  Path src;

  @BeforeEach
  void tree() throws Exception {
    src = Files.createDirectories(dir.resolve("acpi_call-src"));
    Files.writeString(
        src.resolve("dkms.conf"),
        "PACKAGE_NAME=\"acpi_call\"\nPACKAGE_VERSION=\"1.2-rc1\"\nBUILT_MODULE_NAME[0]=acpi_call\n"
            + "DEST_MODULE_LOCATION[0]=/updates/dkms\nAUTOINSTALL=yes\n");
    Files.writeString(src.resolve("Makefile"), "obj-m := acpi_call.o\n");
    Files.createDirectories(src.resolve("scripts"));
    Path gen = Files.writeString(src.resolve("scripts/gen.sh"), "#!/bin/sh\necho gen\n");
    Files.setPosixFilePermissions(gen, PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(src.resolve("scripts/gen"), Path.of("gen.sh"));
    Files.createDirectories(src.resolve(".git"));
    Files.writeString(src.resolve(".git/HEAD"), "ref: refs/heads/main\n");
  }

  private List<Path> write(String formats, Path... sources) throws Exception {
    Path out = dir.resolve("out");
    return new FleetSource(
            List.of(sources),
            SourceWriter.of(formats, out, "Author <a@example.org>", Instant.ofEpochSecond(7)))
        .run(Files.createDirectories(dir.resolve("work")));
  }

  @Test
  void theDebIsWhatDhDkmsWouldMake() throws Exception {
    Path deb = write("deb", src).get(0);
    assertThat(deb.getFileName().toString()).isEqualTo("acpi-call-dkms_1.2~rc1-1_all.deb");
    assertThat(ModuleRpmsTest.run("dpkg-deb", "-f", deb.toString()))
        .contains("Package: acpi-call-dkms\n")
        .contains("Version: 1.2~rc1-1\n")
        .contains("Architecture: all\n")
        .contains("Depends: dkms\n")
        .contains("Maintainer: Author <a@example.org>\n");
    String files = ModuleRpmsTest.run("dpkg-deb", "-c", deb.toString());
    assertThat(files)
        .containsPattern("drwxr-xr-x root/root .* ./usr/src/acpi_call-1.2-rc1/\n")
        .containsPattern("-rw-r--r-- root/root .* ./usr/src/acpi_call-1.2-rc1/dkms.conf\n")
        .containsPattern("-rwxr-xr-x root/root .* ./usr/src/acpi_call-1.2-rc1/scripts/gen.sh\n")
        .containsPattern(" ./usr/src/acpi_call-1.2-rc1/scripts/gen -> gen.sh\n")
        .doesNotContain(".git");
    Path ctl = dir.resolve("ctl");
    ModuleRpmsTest.run("dpkg-deb", "-e", deb.toString(), ctl.toString());
    assertThat(Files.readString(ctl.resolve("postinst")))
        .startsWith("#!/bin/sh\nset -e\n")
        .contains(
            "        /usr/lib/dkms/common.postinst acpi_call 1.2-rc1"
                + " /usr/share/acpi-call-dkms \"\" \"$2\"\n");
    assertThat(Files.readString(ctl.resolve("prerm")))
        .contains("    remove|upgrade|deconfigure)\n")
        .contains("if [ -n \"$(dkms status -m acpi_call -v 1.2-rc1)\" ]; then\n")
        .contains("            dkms remove -m acpi_call -v 1.2-rc1 --all\n");
    assertThat(Files.isExecutable(ctl.resolve("prerm"))).isTrue();
  }

  @Test
  void theRpmIsNoarchAndRequiresDkms() throws Exception {
    Path rpm = write("rpm", src).get(0);
    assertThat(rpm.getFileName().toString()).isEqualTo("acpi-call-dkms-1.2~rc1-1.noarch.rpm");
    String q =
        ModuleRpmsTest.run(
            "rpm",
            "-qp",
            "--qf",
            "name: %{NAME} %{VERSION}-%{RELEASE} %{ARCH}\n[requires: %{REQUIRENEVRS}\n]"
                + "[file: %{FILENAMES} %{FILEUSERNAME} %{FILEMODES:octal} %{FILELINKTOS}\n]",
            "--scripts",
            rpm.toString());
    assertThat(q)
        .contains("name: acpi-call-dkms 1.2~rc1-1 noarch\n")
        .contains("requires: dkms\n")
        .contains("file: /usr/src/acpi_call-1.2-rc1 root 40755 \n")
        .contains("file: /usr/src/acpi_call-1.2-rc1/Makefile root 100644 \n")
        .contains("file: /usr/src/acpi_call-1.2-rc1/scripts/gen.sh root 100755 \n")
        .contains("file: /usr/src/acpi_call-1.2-rc1/scripts/gen root 120777 gen.sh\n")
        .contains("dkms add -m acpi_call -v 1.2-rc1 --rpm_safe_upgrade || :\n")
        .contains("    /usr/lib/dkms/common.postinst acpi_call 1.2-rc1 || :\n")
        .contains("    dkms remove -m acpi_call -v 1.2-rc1 --all --rpm_safe_upgrade || :\n")
        .doesNotContain(".git");
    assertThat(ModuleRpmsTest.run("rpm", "-K", "--nosignature", rpm.toString()))
        .isEqualTo(rpm + ": digests OK\n");
  }

  @Test
  void thePacmanPackageDependsOnDkmsWithoutAnInstallScript() throws Exception {
    Path pkg = write("pacman", src).get(0);
    assertThat(pkg.getFileName().toString()).isEqualTo("acpi-call-dkms-1.2_rc1-1-any.pkg.tar.zst");
    PackageReader r = PackageReader.read(pkg);
    assertThat(r.names())
        .contains(
            ".PKGINFO",
            ".MTREE",
            "usr/src/acpi_call-1.2-rc1/",
            "usr/src/acpi_call-1.2-rc1/dkms.conf",
            "usr/src/acpi_call-1.2-rc1/scripts/gen.sh",
            "usr/src/acpi_call-1.2-rc1/scripts/gen")
        .doesNotContain(".INSTALL", "usr/src/acpi_call-1.2-rc1/.git/");
    assertThat(r.entries().get("usr/src/acpi_call-1.2-rc1/scripts/gen.sh").getMode() & 07777)
        .isEqualTo(0755);
    assertThat(r.text(".PKGINFO"))
        .contains("pkgname = acpi-call-dkms\n")
        .contains("pkgver = 1.2_rc1-1\n")
        .contains("arch = any\n")
        .contains("depend = dkms\n");
    Path db = Files.createDirectories(dir.resolve("db"));
    assertThat(ModuleRpmsTest.run("pacman", "--dbpath", db.toString(), "-Qip", pkg.toString()))
        .containsPattern("Name +: acpi-call-dkms\n")
        .containsPattern("Depends On +: dkms\n")
        .containsPattern("Install Script +: No\n");
    assertThat(ModuleRpmsTest.run("pacman", "--dbpath", db.toString(), "-Qlp", pkg.toString()))
        .contains("acpi-call-dkms /usr/src/acpi_call-1.2-rc1/scripts/gen.sh\n");
  }

  @Test
  void everyFormatForEveryTree() throws Exception {
    Path other = Files.createDirectories(dir.resolve("hello"));
    Files.writeString(other.resolve("dkms.conf"), "PACKAGE_NAME=hello\nPACKAGE_VERSION=2.0\n");
    assertThat(write("deb,rpm,pacman", src, other))
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "acpi-call-dkms_1.2~rc1-1_all.deb",
            "acpi-call-dkms-1.2~rc1-1.noarch.rpm",
            "acpi-call-dkms-1.2_rc1-1-any.pkg.tar.zst",
            "hello-dkms_2.0-1_all.deb",
            "hello-dkms-2.0-1.noarch.rpm",
            "hello-dkms-2.0-1-any.pkg.tar.zst");
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws Exception {
    Path none = Files.createDirectories(dir.resolve("none"));
    assertThatThrownBy(() -> write("deb", src, none))
        .isInstanceOf(FleetException.class)
        .hasMessage("no dkms.conf in " + none);
    Path unsafe = Files.createDirectories(dir.resolve("unsafe"));
    Files.writeString(
        unsafe.resolve("dkms.conf"), "PACKAGE_NAME='x;reboot'\nPACKAGE_VERSION=1.0\n");
    assertThatThrownBy(() -> write("deb", src, unsafe))
        .isInstanceOf(FleetException.class)
        .hasMessage(
            unsafe + ": PACKAGE_NAME 'x;reboot' is not a safe package name ([A-Za-z0-9._+-])");
    Path noVersion = Files.createDirectories(dir.resolve("noversion"));
    Files.writeString(noVersion.resolve("dkms.conf"), "PACKAGE_NAME=x\n");
    assertThatThrownBy(() -> write("deb", noVersion))
        .hasMessageContaining("PACKAGE_NAME and PACKAGE_VERSION are needed");
    Files.createSymbolicLink(src.resolve("escape"), Path.of("../../etc/passwd"));
    assertThatThrownBy(() -> write("deb", src))
        .hasMessage(src + ": escape is a symbolic link out of the tree (../../etc/passwd)");
    assertThatThrownBy(() -> write("deb,zip", src))
        .hasMessageStartingWith("--format deb,zip: unknown format 'zip' (expected deb, rpm,");
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
