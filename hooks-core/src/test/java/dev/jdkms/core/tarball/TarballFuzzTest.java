package dev.jdkms.core.tarball;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jdkms.core.testutil.Fuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes tarball extraction (ldtarball, and loading a source tarball): dkms tarballs written by
 * commons-compress, with directories, files, a symbolic and a hard link, a name longer than 100
 * bytes (a PAX header) and a non-ASCII one, plain and gzip, bzip2 or xz compressed, then damaged.
 * Every input must be extracted within small limits or refused with a {@link TarballException}. Run
 * in the C locale ({@code LC_ALL=C mvn ...}), the non-ASCII name is one of the refusals.
 */
class TarballFuzzTest {
  static final long SEED = 0x7a2ba11L;
  static final SafeExtractor.Limits SMALL = new SafeExtractor.Limits(1 << 20, 4 << 20, 200);

  @TempDir Path dir;

  @Test
  void noTarballEndsInAnInternalError() throws IOException, TarballException {
    Path plain =
        new TarBuilder()
            .dir("dkms_main_tree/")
            .dir("dkms_source_tree/")
            .file("dkms_source_tree/dkms.conf", "PACKAGE_NAME=m\nPACKAGE_VERSION=1\n")
            .file("dkms_source_tree/m.c", "int x;\n", 0600)
            .file("dkms_source_tree/" + "long_".repeat(30) + ".h", "/* long */\n")
            .file("dkms_source_tree/caf\u00e9.c", "int y;\n")
            .symlink("dkms_source_tree/Kbuild", "m.c")
            .hardlink("dkms_source_tree/copy.c", "dkms_source_tree/m.c")
            .writeTo(dir.resolve("valid.tar"));
    byte[] tar = Files.readAllBytes(plain);
    List<byte[]> valid = new ArrayList<>();
    valid.add(tar);
    valid.add(Fuzz.compress(tar, GZIPOutputStream::new));
    valid.add(Fuzz.compress(tar, BZip2CompressorOutputStream::new));
    valid.add(Fuzz.compress(tar, XZCompressorOutputStream::new));
    Path archive = dir.resolve("fuzz.tar");
    for (int i = 0; i < valid.size(); i++) {
      Files.write(archive, valid.get(i));
      // by index: two formats' outputs can have the same length
      Path into = Files.createDirectory(dir.resolve("valid-" + i));
      if (utf8FileNames()) {
        new SafeExtractor(SMALL).extract(archive, into);
        assertThat(into.resolve("dkms_source_tree/caf\u00e9.c")).exists();
      } else {
        // A JVM started in the C locale without the launcher: refused, in words.
        assertThatThrownBy(() -> new SafeExtractor(SMALL).extract(archive, into))
            .isInstanceOf(TarballException.class)
            .hasMessageContaining("file-name encoding (ANSI_X3.4-1968)");
      }
    }
    new Fuzz("tarball", SEED, 5_000, Duration.ofSeconds(3), TarballException.class)
        .run(
            valid,
            (input, round) -> {
              Files.write(archive, input);
              Path into = Files.createDirectory(dir.resolve("x" + round));
              try {
                new SafeExtractor(SMALL).extract(archive, into);
              } finally {
                TreeCopier.delete(into);
              }
            });
  }

  private static boolean utf8FileNames() {
    return "UTF-8".equals(System.getProperty("sun.jnu.encoding"));
  }
}
