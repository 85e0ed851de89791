package dev.jdkms.core.engine;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.plan.Inventory;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Evaluates, several at a time, the dkms.conf of the newest version of every module for every
 * kernel the events name, before the planner reads them one after another: the planner's reads then
 * come from the process's evaluation cache. Silent; the planner's own reads print what upstream
 * would.
 */
final class ConfPrefetch {
  private ConfPrefetch() {}

  static void run(Session session, Inventory inventory, List<Event> events, String arch)
      throws IOException {
    Set<String> kernels = new LinkedHashSet<>();
    for (Event e : events) {
      if (!(e instanceof Event.KernelRemoved)) {
        e.aboutKernel().ifPresent(kernels::add);
      }
    }
    Map<String, String> newest = Inventory.newestVersions(inventory.registered());
    int reads = kernels.size() * newest.size();
    int threads = Math.min(reads, Runtime.getRuntime().availableProcessors());
    if (threads < 2) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (String k : kernels) {
        newest.forEach(
            (m, v) ->
                all.add(
                    pool.submit(
                        () -> {
                          Session quiet = session.fork(Console.silent());
                          try {
                            new ConfReader(quiet)
                                .read(m, v, k, arch, quiet.tree().sourceConf(m, v));
                          } catch (DkmsException e) {
                            // the planner's own read reports it
                          }
                        })));
      }
      for (Future<?> f : all) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          // only a warm-up: the planner reads again and sees any problem itself
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
  }
}
