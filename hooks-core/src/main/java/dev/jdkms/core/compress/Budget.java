package dev.jdkms.core.compress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * How much a reader may take from a stream: every byte read is charged, and the budget refuses (an
 * {@link IOException}) once it is spent. {@link #ofBytes} counts bytes; a caller can add time or
 * share one budget between several streams.
 */
@FunctionalInterface
public interface Budget {
  /** Counts {@code n} more bytes read; throws once a limit is passed. */
  void charge(long n) throws IOException;

  /** No limit: for a reader whose own limits bound what it does with the bytes. */
  Budget UNLIMITED = n -> {};

  /** At most {@code maxBytes}; past that, a {@link LimitExceededException}. */
  static Budget ofBytes(long maxBytes) {
    long[] total = {0};
    return n -> {
      total[0] += n;
      if (total[0] > maxBytes) {
        throw new LimitExceededException(maxBytes);
      }
    };
  }

  /** {@code in}, with every byte read from it charged to this budget. */
  default InputStream watch(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          charge(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          charge(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long s = super.skip(n);
        charge(s);
        return s;
      }
    };
  }
}
