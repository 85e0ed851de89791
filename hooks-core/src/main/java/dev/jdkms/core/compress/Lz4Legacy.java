package dev.jdkms.core.compress;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Enumeration;
import java.util.NoSuchElementException;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;

/**
 * The kernel's (and {@code lz4 -l}'s) legacy LZ4 format: a magic, then blocks of a 32-bit
 * little-endian compressed size and one LZ4 block; a new magic may start another stream.
 */
final class Lz4Legacy {
  private Lz4Legacy() {}

  private static final int MAGIC = 0x184c2102;

  /** A block larger than this ends the stream (the kernel's blocks are 8 MiB at most). */
  private static final int MAX_BLOCK = 1 << 26;

  static InputStream open(InputStream raw) {
    DataInputStream in = new DataInputStream(raw);
    return new SequenceInputStream(
        new Enumeration<InputStream>() {
          private InputStream next;
          private boolean done;

          @Override
          public boolean hasMoreElements() {
            if (next != null) {
              return true;
            }
            if (done) {
              return false;
            }
            try {
              int n;
              do {
                n = Integer.reverseBytes(in.readInt());
              } while (n == MAGIC); // at the start and between streams
              if (n <= 0 || n > MAX_BLOCK) {
                done = true;
                return false;
              }
              byte[] block = in.readNBytes(n);
              next = new BlockLZ4CompressorInputStream(new ByteArrayInputStream(block));
              return true;
            } catch (IOException e) {
              done = true;
              return false;
            }
          }

          @Override
          public InputStream nextElement() {
            if (!hasMoreElements()) {
              throw new NoSuchElementException();
            }
            InputStream r = next;
            next = null;
            return r;
          }
        });
  }
}
