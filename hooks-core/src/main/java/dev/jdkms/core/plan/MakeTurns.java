package dev.jdkms.core.plan;

import dev.jdkms.core.exec.MakeTurn;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/**
 * Which build's make starts next: at most {@code slots} at once (one per token of the budget), in
 * {@link BuildQueue#PRIORITY} order. The executor keeps builds beyond the budget under way so that
 * copying and signing overlap the makes; without turns such a build's make could take a free token
 * while a bigger build was still copying its sources, and a run whose longest make starts late ends
 * on that make running alone.
 *
 * <p>A build may start its make when a slot is free and no build of higher priority that is under
 * way is still copying its sources (builds before their make never wait for a turn, so waiting for
 * them always ends). A build that runs patches or a PRE_BUILD script first ({@link
 * MakeTurn#commandsFirst}) stops holding the others up: those commands take a token of their own,
 * and a configure script may run for minutes.
 */
final class MakeTurns {
  private final int slots;
  private final Comparator<PendingBuild> order;

  /** Builds under way whose make has not started yet. */
  private final Set<PendingBuild> ahead = new HashSet<>();

  private int running;

  MakeTurns(int slots, Comparator<PendingBuild> order) {
    this.slots = slots;
    this.order = order;
  }

  /** The build is under way: builds after it wait for its make to start. */
  synchronized void started(PendingBuild build) {
    ahead.add(build);
  }

  /** The build ended (whether or not it ran a make), or runs commands before its make. */
  synchronized void finished(PendingBuild build) {
    if (ahead.remove(build)) {
      notifyAll();
    }
  }

  /** The turn of one build's makes. */
  MakeTurn of(PendingBuild build) {
    return new MakeTurn() {
      @Override
      public Held take() throws InterruptedException {
        return MakeTurns.this.take(build);
      }

      @Override
      public void commandsFirst() {
        finished(build);
      }
    };
  }

  private synchronized MakeTurn.Held take(PendingBuild build) throws InterruptedException {
    while (running >= slots || anyBefore(build)) {
      wait();
    }
    ahead.remove(build);
    running++;
    notifyAll();
    boolean[] given = {false};
    return () -> {
      synchronized (MakeTurns.this) {
        if (!given[0]) {
          given[0] = true;
          running--;
          MakeTurns.this.notifyAll();
        }
      }
    };
  }

  private boolean anyBefore(PendingBuild build) {
    for (PendingBuild p : ahead) {
      if (p != build && order.compare(p, build) < 0) {
        return true;
      }
    }
    return false;
  }
}
