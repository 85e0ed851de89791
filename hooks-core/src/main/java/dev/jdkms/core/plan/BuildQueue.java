package dev.jdkms.core.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which build starts next: the best by {@link #PRIORITY} whose module version's build directory is
 * free (or which has a private area), while fewer builds than the limit run. Installs that rebuild
 * dependents hold those directories alone ({@link #reserve}).
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
    this.limit = limit;
    this.idle = idle;
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
    while (!shutdown && (running >= limit || firstStartable() == null)) {
      wait();
    }
    if (shutdown) {
      return null;
    }
    PendingBuild p = firstStartable();
    queue.remove(p);
    building.merge(p.dirKey(), 1, Integer::sum);
    running++;
    return p;
  }

  /** A build ended. */
  synchronized void finished(PendingBuild p) {
    building.computeIfPresent(p.dirKey(), (k, n) -> n > 1 ? n - 1 : null);
    running--;
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
