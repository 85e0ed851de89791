package dev.jdkms.core.testutil;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Seeded, bounded mutation fuzzing of one reader: each round mutates one of a few valid inputs and
 * hands it to the reader, which must return or throw one of its domain exceptions. Anything else
 * (an unchecked exception, an Error, a message with a stack trace or "internal error" in it, or a
 * round that does not end) fails the test, naming the seed and round that reproduce it.
 */
public final class Fuzz {
  /** One round: reads {@code input}; {@code round} names temporary files. */
  @FunctionalInterface
  public interface Reader {
    void read(byte[] input, int round) throws Exception;
  }

  private final String name;
  private final long seed;
  private final int rounds;
  private final Duration budget;
  private final List<Class<? extends Exception>> domain;

  /**
   * @param rounds at most this many rounds
   * @param budget and no new round after this long (a slow machine runs fewer)
   * @param domain the exceptions that are the reader's clean refusals
   */
  @SafeVarargs
  public Fuzz(
      String name, long seed, int rounds, Duration budget, Class<? extends Exception>... domain) {
    this.name = name;
    this.seed = seed;
    this.rounds = rounds;
    this.budget = budget;
    List<Class<? extends Exception>> classes = new java.util.ArrayList<>();
    for (Class<? extends Exception> c : domain) {
      classes.add(c);
    }
    this.domain = List.copyOf(classes);
  }

  /** How a round's input is made from a valid one. */
  @FunctionalInterface
  public interface Mutator {
    byte[] mutate(byte[] valid, Random random);
  }

  /** Runs the rounds; returns how many inputs were refused by a domain exception. */
  public int run(List<byte[]> valid, Reader reader) {
    return run(valid, Fuzz::mutate, reader);
  }

  /** The same with inputs made by {@code mutator}. */
  public int run(List<byte[]> valid, Mutator mutator, Reader reader) {
    // A hang is a failure too: the whole run gets the budget plus a margin for the last round.
    return assertTimeoutPreemptively(
        budget.plusSeconds(10),
        () -> rounds(valid, mutator, reader),
        () -> where(current) + " hung on input: " + printable(input));
  }

  /** The round under way, for the message of a hang. */
  private volatile int current;

  private volatile byte[] input = new byte[0];

  private static String printable(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(b.length, 4096); i++) {
      int c = b[i] & 0xff;
      s.append(
          c >= 0x20 && c < 0x7f && c != '\\'
              ? String.valueOf((char) c)
              : String.format("\\x%02x", c));
    }
    return s.toString();
  }

  private int rounds(List<byte[]> valid, Mutator mutator, Reader reader) {
    Random random = new Random(seed);
    long end = System.nanoTime() + budget.toNanos();
    int refused = 0;
    int done = 0;
    long start = System.nanoTime();
    for (; done < rounds && System.nanoTime() < end; done++) {
      byte[] input = mutator.mutate(valid.get(done % valid.size()), random);
      this.current = done;
      this.input = input;
      try {
        reader.read(input, done);
      } catch (Exception e) {
        if (domain.stream().noneMatch(d -> d.isInstance(e))) {
          throw new AssertionError(where(done) + ": " + e, e);
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("internal error") || m.contains("\tat ") || m.contains("Exception:")) {
          throw new AssertionError(where(done) + ": unclear message: " + m, e);
        }
        refused++;
      } catch (Error e) {
        throw new AssertionError(where(done) + ": " + e, e);
      }
    }
    System.out.printf(
        "fuzz %s: seed %#x, %d rounds (%d refused) in %d ms%n",
        name, seed, done, refused, (System.nanoTime() - start) / 1_000_000);
    return refused;
  }

  private String where(int round) {
    return name + " (seed " + Long.toHexString(seed) + ", round " + round + ")";
  }

  /** Small random damage: flipped bits, extreme integers, cut, repeated or inserted ranges. */
  public static byte[] mutate(byte[] valid, Random r) {
    byte[] m = valid.clone();
    for (int edits = 1 + r.nextInt(3); edits > 0 && m.length > 0; edits--) {
      m = edit(m, r);
    }
    return m;
  }

  private static final long[] EXTREMES = {
    0,
    1,
    -1,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0xffff,
    0x7fffffffL,
    0x80000000L,
    0xffffffffL,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    99999999999L
  };

  private static byte[] edit(byte[] m, Random r) {
    int at = r.nextInt(m.length);
    switch (r.nextInt(6)) {
      case 0 -> m[at] ^= (byte) (1 << r.nextInt(8));
      case 1 -> {
        long v = EXTREMES[r.nextInt(EXTREMES.length)];
        ByteBuffer b = ByteBuffer.wrap(m);
        int width = r.nextBoolean() ? 4 : 8;
        if (at + width <= m.length) {
          if (width == 4) {
            b.putInt(at, (int) v);
          } else {
            b.putLong(at, v);
          }
        }
      }
      case 2 -> {
        return java.util.Arrays.copyOf(m, at);
      }
      case 3 -> {
        int len = Math.min(m.length - at, 1 + r.nextInt(64));
        byte[] out = new byte[m.length + len];
        System.arraycopy(m, 0, out, 0, at + len);
        System.arraycopy(m, at, out, at + len, m.length - at);
        return out;
      }
      case 4 -> {
        for (int n = 1 + r.nextInt(8); n > 0; n--) {
          m[r.nextInt(m.length)] = (byte) r.nextInt(256);
        }
      }
      default -> {
        // a decimal number where text is (dkms.conf indexes, tar octal fields, cpio hex fields)
        byte[] digits = Long.toString(EXTREMES[r.nextInt(EXTREMES.length)]).getBytes();
        System.arraycopy(digits, 0, m, at, Math.min(digits.length, m.length - at));
      }
    }
    return m;
  }

  /** A compressing stream around another (GZIPOutputStream::new, XZOutputStream, ...). */
  @FunctionalInterface
  public interface Compressor {
    java.io.OutputStream wrap(java.io.OutputStream out) throws java.io.IOException;
  }

  /** {@code data} compressed as a fuzz input's valid starting point. */
  public static byte[] compress(byte[] data, Compressor c) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream o = c.wrap(out)) {
      o.write(data);
    }
    return out.toByteArray();
  }
}
