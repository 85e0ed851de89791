package dev.jdkms.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packages' files, control fields and scripts, read back from the .deb (ar + tar.xz). */
class ModuleDebsTest {
  @TempDir Path dir;

  @Test
  void aPackagePerBuiltUnitAndAMetapackageOnTheNewestKernel() throws Exception {
    Path ko = Files.writeString(dir.resolve("hello.ko"), "module");
    List<UnitResult> units =
        List.of(
            built("6.1.0-56-amd64", ko, false),
            built("6.1.0-57-amd64", ko, true),
            failed("6.1.0-58-amd64"));
    List<Path> debs =
        new ModuleDebs(dir.resolve("out"), "amd64", "Fleet <f@example.org>", Instant.EPOCH)
            .write(units);
    assertThat(debs)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "hello-modules-6.1.0-56-amd64_1.0_amd64.deb",
            "hello-modules-6.1.0-57-amd64_1.0_amd64.deb",
            "hello-modules-amd64_6.1.0.57+1.0_amd64.deb");

    Map<String, String> k57 = members(debs.get(1));
    assertThat(k57.get("data:")).contains("./lib/modules/6.1.0-57-amd64/updates/dkms/hello.ko");
    assertThat(k57.get("data:"))
        .contains("./usr/lib/jdkms/prebuilt/6.1.0-57-amd64/hello")
        .doesNotContain(".manifest-");
    assertThat(k57.get("./usr/lib/jdkms/prebuilt/6.1.0-57-amd64/hello"))
        .isEqualTo(
            "# written by jdkms fleet build: what this package provides to jdkms\n"
                + "format=1\nmodule=hello\nversion=1.0\nkernel=6.1.0-57-amd64\n"
                + "package=hello-modules-6.1.0-57-amd64\n"
                + "file=120970d812836f19888625587a4606a5ad23cef31c8684e601771552548fc6b9"
                + " updates/dkms/hello.ko\n");
    try (var left = Files.list(dir.resolve("out"))) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
    assertThat(k57.get("./control"))
        .contains("Package: hello-modules-6.1.0-57-amd64\n")
        .contains(
            "Depends: linux-image-6.1.0-57-amd64 | linux-image-6.1.0-57-amd64-unsigned"
                + " | linux-image-unsigned-6.1.0-57-amd64\n")
        .contains("Maintainer: Fleet <f@example.org>\n");
    assertThat(k57.get("./postinst")).contains("update-initramfs -u -k 6.1.0-57-amd64");
    assertThat(members(debs.get(0)).get("./postinst")).doesNotContain("update-initramfs");

    Map<String, String> meta = members(debs.get(2));
    assertThat(meta.get("./control")).contains("Depends: hello-modules-6.1.0-57-amd64 (= 1.0)\n");
    assertThat(meta).doesNotContainKey("./postinst");
  }

  static UnitResult failed(String kernel) {
    return new UnitResult(
        "hello", "1.0", kernel, UnitResult.Status.FAILED, List.of(), "", false, "build failed");
  }

  static UnitResult built(String kernel, Path ko, boolean critical) {
    return new UnitResult(
        "hello",
        "1.0",
        kernel,
        UnitResult.Status.BUILT,
        List.of(ko),
        "/updates/dkms",
        critical,
        "");
  }

  /** The control members by name with their text, and {@code data:} the data paths. */
  private static Map<String, String> members(Path deb) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (ArArchiveInputStream ar = new ArArchiveInputStream(Files.newInputStream(deb))) {
      ArArchiveEntry e;
      while ((e = ar.getNextEntry()) != null) {
        if (e.getName().startsWith("control.tar")) {
          readTar(decompressed(ar, e.getName()), out, true);
        } else if (e.getName().startsWith("data.tar")) {
          readTar(decompressed(ar, e.getName()), out, false);
        }
      }
    }
    return out;
  }

  private static void readTar(InputStream in, Map<String, String> out, boolean control)
      throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    List<String> names = new ArrayList<>();
    TarArchiveEntry t;
    while ((t = tar.getNextEntry()) != null) {
      names.add(t.getName());
      if (t.isFile() && (control || t.getName().startsWith("./usr/lib/jdkms/"))) {
        out.put(t.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    if (!control) {
      out.put("data:", String.join("\n", names));
    }
  }

  private static InputStream decompressed(InputStream in, String name) throws IOException {
    InputStream member = new NoClose(in);
    return name.endsWith(".xz")
        ? new XZCompressorInputStream(member)
        : new GzipCompressorInputStream(member);
  }

  /** The ar stream stays open while its member's tar is read. */
  private static final class NoClose extends java.io.FilterInputStream {
    NoClose(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
