package dev.jdkms.core.compress;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Decompression within a {@link Budget}: the one place jdkms decodes compressed data, for modules
 * and symvers files, tarballs and initramfs images alike. Concatenated gzip, bzip2 and xz streams
 * are read whole, as their programs do; xz and lzma may not make the decoder allocate more than
 * {@link #MEMORY_LIMIT_KIB} for their dictionary, whatever a crafted header asks for.
 */
public final class Decompression {
  private Decompression() {}

  /** The dictionary memory xz and lzma may use (xz -9 needs 64 MiB). */
  static final int MEMORY_LIMIT_KIB = 256 * 1024;

  /**
   * {@code raw}, in the format {@code c}, decoded: every decoded byte is charged to {@code budget}
   * (which throws when it is spent). Closing the result closes {@code raw}.
   *
   * @throws IOException when {@code c} is not decoded in Java (lzip, lzop, compress: see {@link
   *     #open(Path, Budget)}) or the stream's header is corrupt
   */
  public static InputStream open(InputStream raw, Compression c, Budget budget) throws IOException {
    return budget.watch(decoder(raw, c));
  }

  /**
   * The file {@code file} decoded, in the format its first bytes name (whatever its name says), as
   * {@code tar -x} reads an archive: lzip, lzop and compress(1) data through their programs (a
   * missing or failing program is an {@link IOException}), everything else in Java.
   */
  public static InputStream open(Path file, Budget budget) throws IOException {
    Compression c = Compression.detect(file);
    if (!c.javaDecodes()) {
      return budget.watch(ExternalFilter.decompressor(c.program(true).orElseThrow(), file));
    }
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      return open(raw, c, budget);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * All of {@code data} (in the format {@code c}) decoded, refused past {@code maxBytes} or when
   * the heap cannot hold it.
   *
   * @throws LimitExceededException past {@code maxBytes}, or on an OutOfMemoryError
   * @throws IOException "corrupt FORMAT stream: ..." for a corrupt or truncated stream
   */
  public static byte[] decompress(byte[] data, Compression c, long maxBytes) throws IOException {
    if (c == Compression.NONE) {
      return data;
    }
    String what = c.name().toLowerCase(Locale.ROOT);
    try (InputStream in = open(new ByteArrayInputStream(data), c, Budget.ofBytes(maxBytes))) {
      long guess = Math.min(Math.min(maxBytes, 1L << 30), Math.max(64, data.length * 4L));
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) guess);
      in.transferTo(out);
      return out.toByteArray();
    } catch (LimitExceededException e) {
      throw e;
    } catch (OutOfMemoryError e) {
      // The heap was already partly in use: the same answer as for the limit.
      throw new LimitExceededException(maxBytes);
    } catch (LinkageError e) {
      // aircompressor uses sun.misc.Unsafe; should a future JDK drop it, use the program.
      return ExternalFilter.decompress(what, data);
    } catch (IOException | RuntimeException e) {
      // The decoders signal corrupt input with IOException subclasses, but some also throw
      // unchecked exceptions (index errors, "unknown frame") on crafted input.
      throw new IOException("corrupt " + what + " stream: " + e.getMessage(), e);
    }
  }

  private static InputStream decoder(InputStream raw, Compression c) throws IOException {
    return switch (c) {
      case NONE -> raw;
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
              .setMemoryLimitKiB(MEMORY_LIMIT_KIB)
              .get();
      case LZMA ->
          LZMACompressorInputStream.builder()
              .setInputStream(raw)
              .setMemoryLimitKiB(MEMORY_LIMIT_KIB)
              .get();
      case ZSTD -> new ZstdInputStream(raw);
      case LZ4_LEGACY -> Lz4Legacy.open(raw);
      case LZ4_FRAME -> new FramedLZ4CompressorInputStream(raw, true);
      case LZIP, LZOP, COMPRESS -> throw new IOException(c + " data is read by its program only");
    };
  }
}
