package dev.jdkms.core.kabi;

import dev.jdkms.core.compress.Compression;
import dev.jdkms.core.compress.Decompression;
import dev.jdkms.core.compress.LimitExceededException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Module and symvers files as kmod reads them: gzip, xz or zstd, recognised by their magic bytes
 * (not by the file name), decoded by {@link Decompression} within a bound this JVM can afford.
 */
final class ModuleCompression {
  private ModuleCompression() {}

  /** Larger than any real module (the biggest in-tree ones are ~100 MiB with debug info). */
  static final long MAX_DECOMPRESSED = 1L << 30;

  /**
   * What this JVM can afford to hold: growing the buffer copies it, so a module needs about three
   * times its size at the end. A third of the heap (1 GiB at most) keeps a 1 GB-heap JVM clear of
   * an OutOfMemoryError on a crafted {@code .ko.gz} that expands to a gigabyte.
   */
  static long decompressionLimit() {
    return Math.min(MAX_DECOMPRESSED, Runtime.getRuntime().maxMemory() / 3);
  }

  /** The compression of {@code data} if kmod reads it (gzip, xz, zstd); {@code NONE} otherwise. */
  static Compression detect(byte[] data) {
    Compression c = Compression.detect(data);
    return switch (c) {
      case GZIP, XZ, ZSTD -> c;
      default -> Compression.NONE;
    };
  }

  /**
   * The bytes of a module or symvers file, refused unread when it is larger than {@link
   * #decompressionLimit()} (the message names the file).
   */
  static byte[] readFile(Path file) throws IOException, ModuleFormatException {
    long size = Files.size(file);
    if (size > decompressionLimit()) {
      throw new ModuleFormatException(
          file
              + ": "
              + (size >> 20)
              + " MiB, more than the limit with a "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB Java heap");
    }
    return Files.readAllBytes(file);
  }

  /** {@code data} decompressed as {@link #detect} finds it ({@code data} itself when plain). */
  static byte[] decompress(byte[] data) throws ModuleFormatException {
    return decompress(detect(data), data, decompressionLimit());
  }

  /**
   * @throws ModuleFormatException on a corrupt or truncated stream, or one larger than {@code
   *     limit}
   */
  static byte[] decompress(Compression c, byte[] data, long limit) throws ModuleFormatException {
    try {
      return Decompression.decompress(data, c, limit);
    } catch (LimitExceededException e) {
      throw new ModuleFormatException(
          c.name().toLowerCase(Locale.ROOT)
              + " stream decompresses to more than "
              + (limit >> 20)
              + " MiB (the limit with a "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB Java heap); not a kernel module");
    } catch (IOException e) {
      throw new ModuleFormatException(e.getMessage(), e);
    }
  }
}
