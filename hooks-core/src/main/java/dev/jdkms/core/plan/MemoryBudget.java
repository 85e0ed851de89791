package dev.jdkms.core.plan;

import dev.jdkms.core.host.HostMemory;

/**
 * How many builds the machine's memory lets run at once: a build starts only when the estimates of
 * the builds under way plus its own fit in half the memory that was available when the run began
 * (the running builds' memory is theirs, counted by their estimates), or when nothing else runs —
 * one build always makes progress, as upstream's serial dkms would. The other half is the page
 * cache's: a build reads the kernel's headers and writes objects of hundreds of MiB (ZFS's and
 * NVIDIA's with debug info), which its resident memory does not count. Two ZFS builds side by side
 * in a 2 GiB memory cgroup peaked at 758 MiB of anonymous memory where Debian's serial dkms peaked
 * at 483 to 500 (tests/bench/heavy.sh, measured 2026-12-08).
 *
 * <p>A build's estimate is the peak memory its process tree used the last time the module was
 * built, plus a quarter ({@link #MARGIN_DIVISOR}); without a record, {@link #DEFAULT_BUILD_BYTES}.
 * Below {@link #serialBelow()} of available memory, builds run one at a time.
 */
public record MemoryBudget(HostMemory memory, long defaultBuildBytes) {
  private static final long MIB = 1024L * 1024;

  /**
   * A build nothing is known about: 512 MiB. A module's compile jobs are gcc's cc1 on one file with
   * the kernel headers, tens of MiB up to a few hundred for the largest files, and one build holds
   * at most the jobserver tokens it gets; the hello fixture's whole build tree (make, gcc, cc1, as,
   * modpost, the signer) peaked at 68 MiB (BuildBudgetTest, measured 2026-12-07). 512 MiB covers
   * two large compile jobs plus make and the linker of a large module; a GiB per job would make
   * every 2 GiB machine build serially for modules that need a fraction of that.
   */
  public static final long DEFAULT_BUILD_BYTES = 512 * MIB;

  /**
   * Estimates from records are raised by a quarter: another kernel's headers differ a little, and a
   * sample can miss a short peak.
   */
  static final int MARGIN_DIVISOR = 4;

  /** The smallest estimate from a record (a record of a few KiB is not a real build's tree). */
  static final long MIN_RECORDED_BYTES = 32 * MIB;

  public static MemoryBudget of(HostMemory memory) {
    return new MemoryBudget(memory, DEFAULT_BUILD_BYTES);
  }

  /** No limit: every build fits (as before this budget). */
  public static MemoryBudget unlimited() {
    return of(HostMemory.unknown());
  }

  /** Below this much available memory, one build at a time: two default builds do not fit. */
  public long serialBelow() {
    return 2 * defaultBuildBytes;
  }

  public boolean serial() {
    return memory.availableBytes() < serialBelow();
  }

  /** The memory a build is expected to take: its recorded peak (bytes, 0 unknown) plus margin. */
  public long estimate(long recordedPeakBytes) {
    if (recordedPeakBytes <= 0) {
      return defaultBuildBytes;
    }
    long peak = Math.max(MIN_RECORDED_BYTES, recordedPeakBytes);
    return peak > Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : peak + peak / MARGIN_DIVISOR;
  }

  /**
   * Whether a build of {@code estimate} may start beside {@code running} builds that hold {@code
   * reserved}.
   */
  public boolean admits(long reserved, long estimate, int running) {
    if (running == 0) {
      return true;
    }
    if (serial()) {
      return false;
    }
    return reserved + estimate <= forBuilds();
  }

  /** The memory the builds under way may take together: half of what is available. */
  public long forBuilds() {
    return memory.availableBytes() / 2;
  }

  /** The line said once when builds run one at a time for lack of memory. */
  public String serialNotice() {
    return "jdkms: "
        + mib(memory.availableBytes())
        + " MiB of memory available ("
        + memory.source()
        + "), less than "
        + mib(serialBelow())
        + " MiB: building one module at a time.";
  }

  /** The line said once when a build waits for memory held by the builds under way. */
  static String waitNotice(String what, long estimate, long reserved, MemoryBudget budget) {
    return "jdkms: "
        + what
        + " waits for memory: it needs about "
        + mib(estimate)
        + " MiB, the builds under way hold "
        + mib(reserved)
        + " MiB, and builds may take "
        + mib(budget.forBuilds())
        + " MiB together (half of the "
        + mib(budget.memory().availableBytes())
        + " MiB available).";
  }

  static long mib(long bytes) {
    return bytes / MIB;
  }
}
