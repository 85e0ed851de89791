package dev.jdkms.core.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests of prebuilt module packages: written and read by one class, hostile ones ignored.
 */
class PrebuiltModulesTest {
  static final String K1 = "6.1.0-57-amd64";
  static final String K2 = "6.1.0-58-amd64";
  static final String SHA = "ab".repeat(32);

  @TempDir Path dir;
  final List<String> warnings = new ArrayList<>();

  private static PrebuiltManifest manifest(String kernel, String file) {
    return new PrebuiltManifest(
        "acpi-call",
        "1.2.2",
        kernel,
        "acpi-call-modules-" + kernel,
        List.of(new PrebuiltManifest.File(file, SHA)));
  }

  private Path write(String kernel, String module, String text) throws IOException {
    Path f = dir.resolve(kernel).resolve(module);
    Files.createDirectories(f.getParent());
    return Files.writeString(f, text);
  }

  private PrebuiltModules read() {
    return PrebuiltModules.read(dir, warnings::add);
  }

  @Test
  void whatTheFleetWritesIsReadBack() throws IOException {
    PrebuiltManifest m = manifest(K1, "updates/dkms/acpi_call.ko.xz");
    write(K1, "acpi-call", m.text());
    PrebuiltModules p = read();
    assertThat(warnings).isEmpty();
    assertThat(p.all()).containsExactly(m);
    assertThat(p.find("acpi-call", K1)).contains(m);
    assertThat(p.find("acpi-call", K2)).isEmpty();
    assertThat(p.claiming(K1, "updates/dkms/acpi_call.ko.xz")).contains(m);
    assertThat(p.claiming(K1, "updates/dkms/other.ko")).isEmpty();
    assertThat(p.matching("acpi*", "", K1)).containsExactly(m);
    assertThat(p.matching("acpi-call", "1.3", "")).isEmpty();
    assertThat(p.missing("acpi-call", K2, PrebuiltModules.Lack.COMPILER))
        .contains(
            "acpi-call: no prebuilt package for 6.1.0-58-amd64 (acpi-call-modules-6.1.0-58-amd64)"
                + " and no compiler to build it; install that package, or gcc, make and the"
                + " kernel's headers");
    assertThat(p.missing("acpi-call", K1, PrebuiltModules.Lack.COMPILER)).isEmpty();
    assertThat(p.missing("other", K2, PrebuiltModules.Lack.COMPILER)).isEmpty();
    assertThat(m.text()).doesNotContain("/lib/modules").contains("file=" + SHA + " updates/");
  }

  @Test
  void aMissingDirectoryIsNothingPrebuilt() {
    assertThat(PrebuiltModules.read(dir.resolve("none"), warnings::add).all()).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void hostileOrMalformedManifestsAreIgnoredWithOneLineEach() throws IOException {
    String good = manifest(K1, "updates/dkms/acpi_call.ko").text();
    write(
        K1,
        "escape",
        good.replace("module=acpi-call", "module=escape")
            .replace("updates/dkms/acpi_call.ko", "../../../etc/shadow.ko"));
    write(
        K1,
        "absolute",
        good.replace("module=acpi-call", "module=absolute")
            .replace(" updates/dkms/acpi_call.ko", " /etc/x.ko"));
    write(
        K1,
        "notako",
        good.replace("module=acpi-call", "module=notako").replace("acpi_call.ko", "acpi_call.sh"));
    write(K1, "other-name", good);
    write(K2, "acpi-call", good);
    write(K1, "unknown", good.replace("module=acpi-call", "module=unknown") + "run=rm -rf /\n");
    write(K1, "twice", good.replace("module=acpi-call", "module=twice") + "kernel=" + K1 + "\n");
    write(
        K1,
        "noformat",
        good.replace("module=acpi-call", "module=noformat").replace("format=1\n", ""));
    write(K1, "badsum", good.replace("module=acpi-call", "module=badsum").replace(SHA, "xyz"));
    write(K1, "nofiles", "format=1\nmodule=nofiles\nversion=1\nkernel=" + K1 + "\npackage=p\n");
    write(K1, "huge", "#" + "x".repeat(20_000) + "\n" + good);
    Files.write(dir.resolve(K1).resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 10});
    Files.createSymbolicLink(dir.resolve(K1).resolve("link"), dir.resolve(K2).resolve("acpi-call"));
    Files.createDirectories(dir.resolve(K1).resolve("subdir"));

    PrebuiltModules p = read();
    assertThat(p.all()).isEmpty();
    assertThat(warnings).hasSize(14);
    assertThat(warnings)
        .allMatch(w -> w.startsWith("jdkms: warning: ignoring the prebuilt module manifest " + dir))
        .allMatch(w -> !w.contains("\n") && !w.contains("Exception"));
    assertThat(String.join("\n", warnings))
        .contains("invalid module path '../../../etc/shadow.ko'")
        .contains("unknown key run")
        .contains("not UTF-8")
        .contains("not a regular file")
        .contains("larger than");
  }

  @Test
  void theFormatRefusesWhatItCouldNotReadBack() {
    assertThatThrownBy(() -> manifest(K1, "a/../b.ko"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> manifest("../x", "a.ko")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> manifest(K1, "a.ko\nmodule=x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thePackageForAnotherKernelFollowsTheNamingOfTheOne() {
    assertThat(manifest(K1, "a.ko").packageFor(K2)).isEqualTo("acpi-call-modules-" + K2);
    PrebuiltManifest pacman =
        new PrebuiltManifest(
            "acpi-call",
            "1",
            "6.6.63-1-lts",
            "acpi-call-lts",
            List.of(new PrebuiltManifest.File("updates/dkms/a.ko", SHA)));
    assertThat(pacman.packageFor("6.6.64-1-lts")).isEqualTo("acpi-call-lts");
  }
}
