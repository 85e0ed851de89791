package dev.jdkms.rpm;

import java.util.List;
import java.util.Objects;

/**
 * One rpm file trigger, as a spec file's {@code %filetriggerin}, {@code %transfiletriggerpostun}
 * etc. declare it: the script runs when a package puts files under (or takes them from) one of the
 * prefixes; for the "in" and "un" kinds the matching paths arrive on the script's stdin.
 *
 * @param kind when it fires
 * @param transaction {@code true} for {@code %transfiletrigger*}: once per rpm transaction instead
 *     of once per package
 * @param prefixes path prefixes, absolute
 * @param script the script body
 * @param priority rpm's trigger priority (higher runs first; rpmbuild's default is 1000000)
 */
public record FileTrigger(
    Kind kind, boolean transaction, List<String> prefixes, String script, int priority) {

  /** rpmbuild's default priority. */
  public static final int DEFAULT_PRIORITY = 1_000_000;

  /** The trigger kinds with their rpm sense flag (RPMSENSE_TRIGGER*). */
  public enum Kind {
    IN(1 << 16),
    UN(1 << 17),
    POSTUN(1 << 18);

    private final int sense;

    Kind(int sense) {
      this.sense = sense;
    }

    int sense() {
      return sense;
    }
  }

  public FileTrigger {
    Objects.requireNonNull(kind);
    prefixes = List.copyOf(prefixes);
    Objects.requireNonNull(script);
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("a file trigger needs at least one prefix");
    }
    for (String p : prefixes) {
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException("file trigger prefix is not absolute: " + p);
      }
    }
  }

  public static FileTrigger perPackage(Kind kind, String script, String... prefixes) {
    return new FileTrigger(kind, false, List.of(prefixes), script, DEFAULT_PRIORITY);
  }

  public static FileTrigger perTransaction(Kind kind, String script, String... prefixes) {
    return new FileTrigger(kind, true, List.of(prefixes), script, DEFAULT_PRIORITY);
  }
}
