package dev.jdkms.core.initramfs;

import dev.jdkms.core.compress.Budget;
import java.io.IOException;
import java.time.Duration;

/**
 * How much of an image jdkms reads to decide whether it must be rebuilt: real images expand to a
 * few hundred MiB and are listed in a second or two; a crafted one (a gzip stream of 2 GiB of zeros
 * kept the decision busy for five minutes) is given up on, and rebuilding is the answer.
 */
final class ReadBudget implements Budget {
  /** The bounds: bytes read (compressed parts count as what they expand to), and time. */
  record Limits(long maxBytes, Duration maxTime) {
    static final Limits DEFAULT = new Limits(1L << 30, Duration.ofSeconds(20));
  }

  /** The image is larger, or slower to read, than the limits allow. */
  static final class ExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    ExceededException(String message) {
      super(message);
    }
  }

  private final Limits limits;
  private final long deadline;
  private long bytes;

  ReadBudget(Limits limits) {
    this.limits = limits;
    this.deadline = System.nanoTime() + limits.maxTime().toNanos();
  }

  /** Counts {@code n} more bytes read; throws once a limit is passed. */
  @Override
  public void charge(long n) throws ExceededException {
    bytes += n;
    if (bytes > limits.maxBytes()) {
      throw new ExceededException("it expands to more than " + (limits.maxBytes() >> 20) + " MiB");
    }
    if (System.nanoTime() - deadline > 0) {
      throw new ExceededException(
          "reading it took more than " + limits.maxTime().toSeconds() + " seconds");
    }
  }
}
