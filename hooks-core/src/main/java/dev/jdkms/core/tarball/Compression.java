package dev.jdkms.core.tarball;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/**
 * The compressions a DKMS tarball can have. Writing picks one from the archive's name the way GNU
 * {@code tar -a} does (upstream runs {@code tar -caf NAME}); reading recognises the data itself, as
 * {@code tar -x} does, whatever the name says.
 *
 * <p>gzip, bzip2 and xz are done in Java (commons-compress, org.tukaani:xz). zstd, lzip, lzop and
 * compress(1) go through the same external programs GNU tar would run: zstd's only Java codec is a
 * JNI library, and depending on the {@code zstd} binary is exactly upstream's requirement for a
 * {@code .tar.zst} (its tar pipes through it too). A missing program is reported like any other
 * failure to write or read the archive.
 */
public enum Compression {
  NONE,
  GZIP,
  BZIP2,
  XZ,
  /** Raw LZMA ("lzma alone"); only read, GNU tar 1.34 writes xz data for {@code .lzma}. */
  LZMA,
  ZSTD,
  LZIP,
  LZOP,
  COMPRESS;

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

  /** The compression whose signature starts {@code head}; {@code NONE} when none does. */
  public static Compression detect(byte[] head) {
    if (startsWith(head, 0x1f, 0x8b)) {
      return GZIP;
    }
    if (startsWith(head, 0x1f, 0x9d)) {
      return COMPRESS;
    }
    if (startsWith(head, 'B', 'Z', 'h')) {
      return BZIP2;
    }
    if (startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZ;
    }
    if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) {
      return ZSTD;
    }
    if (startsWith(head, 'L', 'Z', 'I', 'P')) {
      return LZIP;
    }
    if (startsWith(head, 0x89, 'L', 'Z', 'O', 0x00, 0x0d, 0x0a, 0x1a, 0x0a)) {
      return LZOP;
    }
    if (startsWith(head, 0x5d, 0x00, 0x00)) {
      return LZMA;
    }
    return NONE;
  }

  private static boolean startsWith(byte[] head, int... sig) {
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

  /** Wraps {@code sink} so that what is written to the result reaches it compressed. */
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

  /** Opens {@code file} (whatever its name) and returns its decompressed contents. */
  public static InputStream open(Path file) throws IOException {
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    Compression c = detect(Arrays.copyOf(head, n));
    if (c.program(true).isPresent()) {
      return ExternalFilter.decompressor(c.program(true).get(), file);
    }
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      return switch (c) {
        case GZIP ->
            GzipCompressorInputStream.builder()
                .setInputStream(raw)
                .setDecompressConcatenated(true)
                .get();
        case BZIP2 -> new BZip2CompressorInputStream(raw, true);
        case XZ ->
            XZCompressorInputStream.builder()
                .setInputStream(raw)
                .setDecompressConcatenated(true)
                .get();
        case LZMA -> new LZMACompressorInputStream(raw);
        default -> raw;
      };
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The external program for this compression, if it is not done in Java. */
  private Optional<List<String>> program(boolean decompress) {
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
}
