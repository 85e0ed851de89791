package dev.jdkms.core.initramfs;

import dev.jdkms.core.compress.Compression;
import dev.jdkms.core.compress.Decompression;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;

/**
 * The file names inside an initramfs image as the kernel unpacks it: a sequence of newc cpio
 * archives, the first ones usually uncompressed (the early microcode cpio, which is skipped past),
 * then one compressed with gzip, xz, zstd, lz4 (the kernel's legacy frame or the LZ4 frame format),
 * lzma or bzip2 (decoded by {@link Decompression} within the read budget); zero bytes between
 * archives are padding.
 */
public final class InitramfsImage {
  private InitramfsImage() {}

  /**
   * Every path in the image (without a leading {@code ./} or {@code /}).
   *
   * @throws ReadBudget.ExceededException when the image expands beyond 1 GiB or takes more than 20
   *     seconds to read
   */
  public static Set<String> files(Path image) throws IOException {
    return files(image, ReadBudget.Limits.DEFAULT);
  }

  static Set<String> files(Path image, ReadBudget.Limits limits) throws IOException {
    try {
      return list(image, new ReadBudget(limits));
    } catch (RuntimeException e) {
      // The decoders report some corrupt input with unchecked exceptions.
      throw new IOException("corrupt image (" + e.getMessage() + ")", e);
    }
  }

  private static Set<String> list(Path image, ReadBudget budget) throws IOException {
    Set<String> names = new LinkedHashSet<>();
    try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      while (pos < size) {
        pos = skipZeros(ch, pos, size, budget);
        if (pos >= size) {
          break;
        }
        byte[] magic = read(ch, pos, 16);
        if (isCpio(magic)) {
          ch.position(pos);
          CountingStream in = new CountingStream(budget.watch(Channels.newInputStream(ch)));
          readCpio(in, names);
          pos += in.count;
          continue;
        }
        ch.position(pos);
        InputStream raw = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
        try (InputStream in = decompressor(magic, raw, budget)) {
          // A compressed part may itself hold several archives.
          // Buffered: the padding between archives is read a byte at a time.
          PushbackStream p = new PushbackStream(new BufferedInputStream(in, 1 << 16));
          while (p.skipZerosAndPeek()) {
            readCpio(p, names);
          }
        }
        break;
      }
    }
    return Collections.unmodifiableSet(names);
  }

  private static boolean isCpio(byte[] m) {
    return m.length >= 6
        && m[0] == '0'
        && m[1] == '7'
        && m[2] == '0'
        && m[3] == '7'
        && m[4] == '0'
        && (m[5] == '1' || m[5] == '2');
  }

  private static InputStream decompressor(byte[] m, InputStream raw, ReadBudget budget)
      throws IOException {
    Compression c = Compression.detect(m);
    if (c == Compression.NONE
        || c == Compression.LZIP
        || c == Compression.LZOP
        || c == Compression.COMPRESS) {
      // not among the kernel's decompressors, or not read in Java
      throw new IOException(
          String.format(
              "unknown initramfs part (magic %02x %02x %02x %02x)", m[0], m[1], m[2], m[3]));
    }
    return Decompression.open(raw, c, budget);
  }

  private static void readCpio(InputStream in, Set<String> names) throws IOException {
    // Block size 4: read nothing past the trailer (the next part may follow unpadded).
    CpioArchiveInputStream cpio = new CpioArchiveInputStream(new NonClosing(in), 4);
    CpioArchiveEntry e;
    while ((e = cpio.getNextEntry()) != null) {
      String n = e.getName();
      while (n.startsWith("./") || n.startsWith("/")) {
        n = n.substring(n.startsWith("./") ? 2 : 1);
      }
      if (!n.isEmpty() && !n.equals(".")) {
        names.add(n);
      }
    }
  }

  private static long skipZeros(FileChannel ch, long pos, long size, ReadBudget budget)
      throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096);
    while (pos < size) {
      b.clear();
      int n = ch.read(b, pos);
      if (n <= 0) {
        return size;
      }
      budget.charge(n);
      for (int i = 0; i < n; i++) {
        if (b.get(i) != 0) {
          return pos + i;
        }
      }
      pos += n;
    }
    return pos;
  }

  private static byte[] read(FileChannel ch, long pos, int n) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        break;
      }
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  /** Counts what the cpio reader consumed, to find where the next archive starts. */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }

  /** A stream whose zero padding between archives can be skipped. */
  private static final class PushbackStream extends java.io.PushbackInputStream {
    PushbackStream(InputStream in) {
      super(in, 1);
    }

    boolean skipZerosAndPeek() throws IOException {
      int b;
      do {
        b = read();
      } while (b == 0);
      if (b < 0) {
        return false;
      }
      unread(b);
      return true;
    }
  }

  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
