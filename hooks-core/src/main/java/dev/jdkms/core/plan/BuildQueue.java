package dev.jdkms.core.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which build starts next: the best by {@link #PRIORITY} whose module version's build directory is
 * free (or which has a private area), while fewer builds than the limit run and the memory budget
 * ({@link MemoryBudget}) has room for its estimate. Installs that rebuild dependents hold those
 * directories alone ({@link #reserve}).
 *
 * <p>A build that does not fit in memory is not overtaken by smaller ones behind it: it starts as
 * soon as enough running builds end, so a big module cannot wait for ever.
 */
final class BuildQueue {
  /**
   * Earlier passes first (their installs unblock the next); then the most work: a big module, and
   * one whose builds for several kernels take turns in one directory, starts first; then console
   * order.
   */
  static final Comparator<PendingBuild> PRIORITY =
      Comparator.<PendingBuild>comparingInt(p -> p.pass)
          .thenComparing(Comparator.<PendingBuild>comparingLong(p -> p.weight).reversed())
          .thenComparingInt(p -> p.kernelIndex)
          .thenComparingInt(p -> p.index);

  private final int limit;
  private final Runnable idle;
  private final MemoryBudget memory;
  private final Consumer<String> notices;
  private long reserved;
  private boolean waitSaid;
  private final List<PendingBuild> queue = new ArrayList<>();

  /** Per M/V: how many builds use it. */
  private final Map<String, Integer> building = new HashMap<>();

  private final Set<String> held = new HashSet<>();
  private boolean shutdown;
  private int running;

  /**
   * @param limit how many builds may run at once
   * @param idle called (under the queue's lock) whenever the last running build ends
   */
  BuildQueue(int limit, Runnable idle) {
    this(limit, idle, MemoryBudget.unlimited(), n -> {});
  }

  /**
   * @param memory how much memory builds may take together
   * @param notices said once: a build waits for memory
   */
  BuildQueue(int limit, Runnable idle, MemoryBudget memory, Consumer<String> notices) {
    this.limit = limit;
    this.idle = idle;
    this.memory = memory;
    this.notices = notices;
  }

  /** Builds under way (for tests and the executor's records). */
  synchronized int running() {
    return running;
  }

  synchronized void submit(List<PendingBuild> ps) {
    if (ps.isEmpty()) {
      return;
    }
    queue.addAll(ps);
    queue.sort(PRIORITY);
    notifyAll();
  }

  /** Waits for the next build that may start and counts it as running; null after shutdown. */
  synchronized PendingBuild next() throws InterruptedException {
    while (!shutdown && (running >= limit || !fits(firstStartable()))) {
      wait();
    }
    if (shutdown) {
      return null;
    }
    PendingBuild p = firstStartable();
    queue.remove(p);
    building.merge(p.dirKey(), 1, Integer::sum);
    running++;
    reserved += p.memoryBytes;
    return p;
  }

  /** A build ended. */
  synchronized void finished(PendingBuild p) {
    building.computeIfPresent(p.dirKey(), (k, n) -> n > 1 ? n - 1 : null);
    running--;
    reserved -= p.memoryBytes;
    if (running == 0) {
      idle.run();
    }
    notifyAll();
  }

  /** Waits until no build uses these directories, then keeps builds out of them. */
  synchronized void reserve(Set<String> dirs) {
    if (dirs.isEmpty()) {
      return;
    }
    while (dirs.stream().anyMatch(d -> held.contains(d) || building.containsKey(d))) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    held.addAll(dirs);
  }

  synchronized void release(Set<String> dirs) {
    if (dirs.isEmpty()) {
      return;
    }
    held.removeAll(dirs);
    notifyAll();
  }

  synchronized void shutdown() {
    shutdown = true;
    notifyAll();
  }

  /** Whether {@code p} may start as far as memory goes (null: nothing to start). */
  private boolean fits(PendingBuild p) {
    if (p == null) {
      return false;
    }
    if (memory.admits(reserved, p.memoryBytes, running)) {
      return true;
    }
    if (!waitSaid && !memory.serial()) {
      waitSaid = true;
      notices.accept(
          MemoryBudget.waitNotice(
              p.dirKey() + " for " + p.job.kernel(), p.memoryBytes, reserved, memory));
    }
    return false;
  }

  private PendingBuild firstStartable() {
    for (PendingBuild p : queue) {
      String d = p.dirKey();
      if (!held.contains(d) && !(building.containsKey(d) && p.sharesDirectory())) {
        return p;
      }
    }
    return null;
  }
}
