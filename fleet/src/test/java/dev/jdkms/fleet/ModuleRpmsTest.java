package dev.jdkms.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redline_rpm.header.Architecture;

/** The rpms read back by rpm itself: names, relations, files, scripts, digests. */
class ModuleRpmsTest {
  @TempDir Path dir;

  @Test
  void aKmodPackagePerBuiltUnitAndAMetapackageOnTheNewestKernel() throws Exception {
    Path ko = Files.writeString(dir.resolve("hello.ko"), "module");
    List<UnitResult> units =
        List.of(
            ModuleDebsTest.built("6.1.0-56-amd64", ko, false),
            ModuleDebsTest.built("6.1.0-57-amd64", ko, true),
            ModuleDebsTest.failed("6.1.0-58-amd64"));
    List<Path> rpms =
        new ModuleRpms(dir.resolve("out"), Architecture.X86_64, "Fleet <f@example.org>")
            .write(units);
    assertThat(rpms)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "kmod-hello-6.1.0-56-amd64-1.0-1.x86_64.rpm",
            "kmod-hello-6.1.0-57-amd64-1.0-1.x86_64.rpm",
            "kmod-hello-1.0-6.1.0.57.amd64.x86_64.rpm");

    String k57 = query(rpms.get(1));
    assertThat(k57)
        .contains("name: kmod-hello-6.1.0-57-amd64 1.0-1 x86_64\n")
        .contains("requires: kernel-uname-r = 6.1.0-57-amd64\n")
        .contains("provides: kmod-hello = 1.0-1\n")
        .contains("provides: hello-kmod = 1.0-1\n")
        .contains("provides: kernel-modules-for-kernel = 6.1.0-57-amd64\n")
        .contains("file: /usr/lib/modules/6.1.0-57-amd64/extra/hello.ko root root 100644\n")
        .contains("    depmod -a 6.1.0-57-amd64\n")
        .contains("dracut -f /boot/initramfs-6.1.0-57-amd64.img 6.1.0-57-amd64")
        .contains("file: /usr/lib/jdkms/prebuilt/6.1.0-57-amd64 root root 40755\n")
        .contains("file: /usr/lib/jdkms/prebuilt/6.1.0-57-amd64/hello root root 100644\n");
    assertThat(k57.lines().filter(l -> l.startsWith("file: "))).hasSize(3);
    assertThat(
            run(
                "sh",
                "-c",
                "rpm2cpio "
                    + rpms.get(1)
                    + " | cpio -i --to-stdout --quiet ./usr/lib/jdkms/prebuilt/6.1.0-57-amd64/hello"))
        .contains("package=kmod-hello-6.1.0-57-amd64\n")
        .contains(" extra/hello.ko\n");
    assertThat(query(rpms.get(0)))
        .contains("postuninstall scriptlet")
        .contains("depmod -a 6.1.0-56-amd64")
        .doesNotContain("dracut");

    String meta = query(rpms.get(2));
    assertThat(meta)
        .contains("name: kmod-hello 1.0-6.1.0.57.amd64 x86_64\n")
        .contains("requires: kmod-hello-6.1.0-57-amd64 = 1.0-1\n")
        .doesNotContain("file: ")
        .doesNotContain("scriptlet");

    for (Path rpm : rpms) {
      assertThat(run("rpm", "-K", "--nosignature", rpm.toString()))
          .isEqualTo(rpm + ": digests OK\n");
    }
  }

  /** Name, relations, files and scripts as rpm shows them, one fact a line. */
  private static String query(Path rpm) throws Exception {
    return run(
        "rpm",
        "-qp",
        "--qf",
        "name: %{NAME} %{VERSION}-%{RELEASE} %{ARCH}\n"
            + "[requires: %{REQUIRENEVRS}\n][provides: %{PROVIDENEVRS}\n]"
            + "[file: %{FILENAMES} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEMODES:octal}\n]",
        "--scripts",
        rpm.toString());
  }

  static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", argv) + "\n" + out).isZero();
    return out;
  }
}
