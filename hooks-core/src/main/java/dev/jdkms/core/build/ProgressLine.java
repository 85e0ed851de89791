package dev.jdkms.core.build;

import dev.jdkms.core.exec.BuildProgress.Phase;
import dev.jdkms.core.tree.BuildRecord;
import java.util.Optional;
import java.util.Set;

/**
 * The progress line of a build entering a phase, and the estimate of the time left in it: what the
 * phases still to come took in the most recent build of the same module version (any kernel). A
 * phase that build did not have (it was not signed, say) adds nothing, and a build running longer
 * than the record says "about 0s left" rather than a negative time.
 */
final class ProgressLine {
  private ProgressLine() {}

  /**
   * The time left when {@code phase} begins: the recorded durations of {@code phase} and of every
   * later phase not in {@code done}; empty without a record.
   */
  static Optional<Long> remainingMillis(
      Optional<BuildRecord> record, Phase phase, Set<Phase> done) {
    if (record.isEmpty()) {
      return Optional.empty();
    }
    long left = 0;
    for (Phase p : Phase.values()) {
      if (p.compareTo(phase) >= 0 && !done.contains(p)) {
        left += record.get().phaseMillis().getOrDefault(p.label(), 0L);
      }
    }
    return Optional.of(left);
  }

  /**
   * {@code jdkms: M/V (K): PHASE, ELAPSED elapsed[, about LEFT left]} — a new line of jdkms's own,
   * on stderr, never inside upstream's lines.
   */
  static String line(String what, Phase phase, long elapsedMillis, Optional<Long> leftMillis) {
    StringBuilder b =
        new StringBuilder("jdkms: ")
            .append(what)
            .append(": ")
            .append(phase.label())
            .append(", ")
            .append(duration(elapsedMillis))
            .append(" elapsed");
    leftMillis.ifPresent(l -> b.append(", about ").append(duration(l)).append(" left"));
    return b.toString();
  }

  /** The line of a build that is done (installed or failed). */
  static String finished(String what, String outcome, long elapsedMillis) {
    return "jdkms: " + what + ": " + outcome + " after " + duration(elapsedMillis);
  }

  /** {@code 42s}, {@code 3m05s}, {@code 1h02m}. */
  static String duration(long millis) {
    long s = Math.max(0, millis) / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
