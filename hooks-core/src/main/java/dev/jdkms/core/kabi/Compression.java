package dev.jdkms.core.kabi;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The compressions kmod accepts for module files, recognised by their magic bytes as kmod does (not
 * by the file name): gzip, xz and zstd. All three are decoded in pure Java: the JDK for gzip,
 * org.tukaani:xz for xz, aircompressor for zstd (no JNI, so nothing native on a hook's path).
 */
public enum Compression {
  NONE(""),
  GZIP(".gz"),
  XZ(".xz"),
  ZSTD(".zst");

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

  /** xz's own dictionary-memory cap: a crafted header cannot make the decoder allocate more. */
  private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;

  private final String suffix;

  Compression(String suffix) {
    this.suffix = suffix;
  }

  /** The file-name suffix the kernel's {@code modules_install} uses for it. */
  public String suffix() {
    return suffix;
  }

  /** The compression of {@code data}, by magic; {@link #NONE} for anything else. */
  public static Compression detect(byte[] data) {
    if (startsWith(data, 0x1f, 0x8b)) {
      return GZIP;
    }
    if (startsWith(data, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZ;
    }
    if (startsWith(data, 0x28, 0xb5, 0x2f, 0xfd)) {
      return ZSTD;
    }
    return NONE;
  }

  /**
   * The bytes of a module or symvers file, refused unread when it is larger than {@link
   * #decompressionLimit()} (the message names the file).
   */
  static byte[] readFile(java.nio.file.Path file)
      throws java.io.IOException, ModuleFormatException {
    long size = java.nio.file.Files.size(file);
    if (size > decompressionLimit()) {
      throw new ModuleFormatException(
          file
              + ": "
              + (size >> 20)
              + " MiB, more than the limit with a "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB Java heap");
    }
    return java.nio.file.Files.readAllBytes(file);
  }

  /**
   * The decompressed bytes ({@code data} itself for {@link #NONE}).
   *
   * @throws ModuleFormatException on a corrupt or truncated stream, or one larger than this JVM's
   *     {@link #decompressionLimit()}
   */
  public byte[] decompress(byte[] data) throws ModuleFormatException {
    return decompress(data, decompressionLimit());
  }

  byte[] decompress(byte[] data, long limit) throws ModuleFormatException {
    if (this == NONE) {
      return data;
    }
    String what = name().toLowerCase(java.util.Locale.ROOT);
    try (InputStream in = open(new ByteArrayInputStream(data))) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.min(limit, Math.max(64, data.length * 4L)));
      byte[] buf = new byte[65536];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > limit) {
          throw tooLarge(what, limit);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (OutOfMemoryError e) {
      // The heap was already partly in use: the same answer as for the limit.
      throw tooLarge(what, limit);
    } catch (LinkageError e) {
      // aircompressor uses sun.misc.Unsafe; should a future JDK drop it, use the zstd program.
      return External.decompress(this, data);
    } catch (IOException | RuntimeException e) {
      // The decoders signal corrupt input with IOException subclasses, but some also throw
      // unchecked exceptions (index errors, "unknown frame") on crafted input.
      throw new ModuleFormatException("corrupt " + what + " stream: " + e.getMessage(), e);
    }
  }

  private static ModuleFormatException tooLarge(String what, long limit) {
    return new ModuleFormatException(
        what
            + " stream decompresses to more than "
            + (limit >> 20)
            + " MiB (the limit with a "
            + (Runtime.getRuntime().maxMemory() >> 20)
            + " MiB Java heap); not a kernel module");
  }

  private InputStream open(InputStream raw) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPInputStream(raw, 65536);
      case XZ -> new XZInputStream(raw, XZ_MEMORY_LIMIT_KIB);
      case ZSTD -> new ZstdInputStream(raw);
      case NONE -> raw;
    };
  }

  private static boolean startsWith(byte[] data, int... magic) {
    if (data.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((data[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** The command-line decompressor, used only when the Java decoder cannot be loaded. */
  private static final class External {
    static byte[] decompress(Compression c, byte[] data) throws ModuleFormatException {
      String tool = c == ZSTD ? "zstd" : c == XZ ? "xz" : "gzip";
      try {
        Process p =
            new ProcessBuilder(tool, "-dc").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread feeder =
            new Thread(
                () -> {
                  try (var in = p.getOutputStream()) {
                    in.write(data);
                  } catch (IOException ignored) {
                    // the tool stopped reading: its exit status says why
                  }
                });
        feeder.start();
        byte[] out = p.getInputStream().readAllBytes();
        feeder.join();
        if (p.waitFor() != 0) {
          throw new ModuleFormatException("corrupt " + tool + " stream (" + tool + " -dc failed)");
        }
        return out;
      } catch (IOException e) {
        throw new ModuleFormatException(
            "cannot decompress with " + tool + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModuleFormatException("interrupted while decompressing with " + tool, e);
      }
    }
  }
}
