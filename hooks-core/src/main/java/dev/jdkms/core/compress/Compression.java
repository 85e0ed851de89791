package dev.jdkms.core.compress;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/**
 * The compressed formats jdkms meets: in modules and symvers files (gzip, xz, zstd, as kmod reads
 * them), DKMS tarballs (whatever GNU tar reads) and initramfs images (whatever the kernel unpacks).
 * A format is recognised by the data's magic bytes, never by a file name ({@link #detect}); {@link
 * Decompression} decodes it within a {@link Budget}.
 *
 * <p>Decoded in Java: gzip, bzip2, xz, lzma, lz4 (commons-compress, org.tukaani:xz) and zstd
 * (aircompressor, pure Java: no JNI, nothing native on a hook's path). lzip, lzop and compress(1)
 * go through the programs GNU tar would run.
 */
public enum Compression {
  NONE(""),
  GZIP(".gz"),
  BZIP2(".bz2"),
  XZ(".xz"),
  /** Raw LZMA ("lzma alone"). */
  LZMA(".lzma"),
  ZSTD(".zst"),
  /** The kernel's (and {@code lz4 -l}'s) legacy LZ4 format. */
  LZ4_LEGACY(".lz4"),
  /** The LZ4 frame format. */
  LZ4_FRAME(".lz4"),
  LZIP(".lz"),
  LZOP(".lzo"),
  COMPRESS(".Z");

  private final String suffix;

  Compression(String suffix) {
    this.suffix = suffix;
  }

  /** The usual file-name suffix ({@code .gz}; the kernel's {@code modules_install} uses these). */
  public String suffix() {
    return suffix;
  }

  /** The compression whose signature starts {@code head}; {@link #NONE} when none does. */
  public static Compression detect(byte[] head) {
    for (Compression c : values()) {
      if (c != NONE && startsWith(head, c.magic())) {
        return c;
      }
    }
    return NONE;
  }

  /** The compression of the file {@code file}, by its first bytes (whatever its name). */
  public static Compression detect(Path file) throws IOException {
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    return detect(Arrays.copyOf(head, n));
  }

  private int[] magic() {
    return switch (this) {
      case NONE -> new int[0];
      case GZIP -> new int[] {0x1f, 0x8b};
      case BZIP2 -> new int[] {'B', 'Z', 'h'};
      case XZ -> new int[] {0xfd, '7', 'z', 'X', 'Z', 0x00};
      // properties 0x5d, then a dictionary size whose low bytes are zero (GNU tar's test)
      case LZMA -> new int[] {0x5d, 0x00, 0x00};
      case ZSTD -> new int[] {0x28, 0xb5, 0x2f, 0xfd};
      case LZ4_LEGACY -> new int[] {0x02, 0x21, 0x4c, 0x18};
      case LZ4_FRAME -> new int[] {0x04, 0x22, 0x4d, 0x18};
      case LZIP -> new int[] {'L', 'Z', 'I', 'P'};
      case LZOP -> new int[] {0x89, 'L', 'Z', 'O', 0x00, 0x0d, 0x0a, 0x1a, 0x0a};
      case COMPRESS -> new int[] {0x1f, 0x9d};
    };
  }

  private static boolean startsWith(byte[] head, int[] sig) {
    if (head.length < sig.length) {
      return false;
    }
    for (int i = 0; i < sig.length; i++) {
      if ((head[i] & 0xff) != sig[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code tar -a}: the compression for an archive name, from the text after its last dot. The
   * suffixes are GNU tar's (case-sensitive); any other name is a plain tar.
   */
  public static Compression forArchiveName(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || name.indexOf('/', dot) >= 0) {
      return NONE;
    }
    return switch (name.substring(dot + 1)) {
      case "gz", "tgz", "taz" -> GZIP;
      case "bz2", "tbz", "tbz2", "tz2" -> BZIP2;
      case "xz", "txz", "lzma", "tlz" -> XZ;
      case "zst", "tzst" -> ZSTD;
      case "lz" -> LZIP;
      case "lzo" -> LZOP;
      case "Z", "taZ" -> COMPRESS;
      default -> NONE;
    };
  }

  /**
   * Wraps {@code sink} so that what is written to the result reaches it compressed. gzip, bzip2 and
   * xz (also for LZMA: GNU tar 1.34 writes xz data for {@code .lzma}) are written in Java, the
   * others by the program GNU tar runs; a missing program is an {@link IOException}.
   */
  public OutputStream compress(OutputStream sink) throws IOException {
    OutputStream out = new BufferedOutputStream(sink, 1 << 16);
    return switch (this) {
      case NONE -> out;
      case GZIP -> new GzipCompressorOutputStream(out);
      case BZIP2 -> new BZip2CompressorOutputStream(out);
      case XZ, LZMA -> new XZCompressorOutputStream(out);
      default -> ExternalFilter.compressor(program(false).orElseThrow(), out);
    };
  }

  /** The program GNU tar runs for this compression, for what is not written or read in Java. */
  Optional<List<String>> program(boolean decompress) {
    List<String> cmd =
        switch (this) {
          case ZSTD -> decompress ? List.of("zstd", "-d", "-q", "-c") : List.of("zstd", "-q", "-c");
          case LZIP -> decompress ? List.of("lzip", "-d", "-c") : List.of("lzip", "-c");
          case LZOP -> decompress ? List.of("lzop", "-d", "-c") : List.of("lzop", "-c");
          case COMPRESS -> decompress ? List.of("gzip", "-d", "-c") : List.of("compress", "-c");
          default -> null;
        };
    return Optional.ofNullable(cmd);
  }

  /** Whether {@link Decompression} decodes this format in Java. */
  boolean javaDecodes() {
    return this != LZIP && this != LZOP && this != COMPRESS;
  }
}
