package dev.jdkms.core.build;

import dev.jdkms.core.exec.BuildProgress;
import dev.jdkms.core.tree.BuildRecord;
import java.nio.file.attribute.FileTime;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One unit's build as it goes: when it entered each phase, said as one line per change of phase
 * ({@link ProgressLine}) when someone watches, and what each phase took, kept as the build's {@link
 * BuildRecord} for the next estimate. Phases are entered from the build thread and then, for the
 * install, from the kernel's thread, never both at once.
 */
public final class BuildClock implements BuildProgress {
  private final String what;
  private final Optional<BuildRecord> previous;
  private final Consumer<String> lines;
  private final LongSupplier clock;
  private final long start;
  private final Map<Phase, Long> took = new EnumMap<>(Phase.class);
  private final Set<Phase> done = EnumSet.noneOf(Phase.class);
  private Phase current;
  private long phaseStart;

  /**
   * @param what the unit, as the lines name it ({@code M/V (K)})
   * @param previous the most recent record of the same module version, for the time left
   * @param lines where the progress lines go (nowhere: records only)
   * @param clock milliseconds (a test's clock)
   */
  public BuildClock(
      String what, Optional<BuildRecord> previous, Consumer<String> lines, LongSupplier clock) {
    this.what = what;
    this.previous = previous;
    this.lines = lines;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** A clock started now for {@code M/V} built for {@code K}, on the monotonic clock. */
  public static BuildClock start(
      String module,
      String version,
      String kernel,
      Optional<BuildRecord> previous,
      Consumer<String> lines) {
    return new BuildClock(
        module + "/" + version + " (" + kernel + ")",
        previous,
        lines,
        () -> System.nanoTime() / 1_000_000);
  }

  @Override
  public synchronized void enter(Phase phase) {
    if (phase == current) {
      return;
    }
    long now = clock.getAsLong();
    closeCurrent(now);
    current = phase;
    phaseStart = now;
    lines.accept(
        ProgressLine.line(
            what, phase, now - start, ProgressLine.remainingMillis(previous, phase, done)));
  }

  private void closeCurrent(long now) {
    if (current != null) {
      took.merge(current, now - phaseStart, Long::sum);
      done.add(current);
    }
  }

  /** The build's record so far (the phases up to now; install is not part of a build). */
  public synchronized BuildRecord record(long peakBytes) {
    long now = clock.getAsLong();
    closeCurrent(now);
    current = null;
    Map<String, Long> phases = new LinkedHashMap<>();
    took.forEach((p, ms) -> phases.put(p.label(), ms));
    return new BuildRecord(
        peakBytes / 1024, phases, now - start, FileTime.fromMillis(System.currentTimeMillis()));
  }

  /** Says that the unit is done ({@code installed}, {@code build failed}…). */
  public synchronized void finished(String outcome) {
    lines.accept(ProgressLine.finished(what, outcome, clock.getAsLong() - start));
  }
}
