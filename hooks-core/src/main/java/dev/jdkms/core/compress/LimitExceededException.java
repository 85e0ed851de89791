package dev.jdkms.core.compress;

import java.io.IOException;

/** A stream decompresses to more than its {@link Budget} allows (or than the heap can hold). */
public final class LimitExceededException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long limit;

  public LimitExceededException(long limit) {
    super("decompresses to more than " + (limit >> 20) + " MiB");
    this.limit = limit;
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }
}
