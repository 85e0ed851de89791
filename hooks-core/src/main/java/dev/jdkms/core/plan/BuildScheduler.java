package dev.jdkms.core.plan;

import dev.jdkms.core.console.Capture;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the {@link KernelJob}s of a plan: builds of different modules and kernels at the same time
 * under one {@link Jobserver} budget, installs per kernel one after another in upstream's order,
 * and console output exactly as if everything had run one after another.
 *
 * <p>Per kernel, a unit is installed in the pass after the last of its BUILD_DEPENDS (upstream's
 * autoinstall passes); its build starts as soon as every dependency is installed (or skipped) on
 * that kernel, fewer builds than the budget plus two run, and, unless each build has a private area
 * ({@link BuildSteps#sharesBuildDirectory}), the module version's build directory ({@code
 * M/V/build}, shared by all kernels) is free. Among the builds under way, makes start biggest
 * first, one per token ({@link MakeTurns}), so that a run does not end on its longest make running
 * alone. Builds print into a {@link Capture} that is replayed, and then streams live, when the
 * unit's turn on the console comes. A failed build or install never stops the other units; units
 * whose dependencies can never be installed (a failure, a cycle, a module not registered) are
 * reported, never waited for.
 */
public final class BuildScheduler {
  private final Jobserver jobserver;
  private final Path tmp;
  private final Map<String, String> environment;
  private final BuildQueue queue;
  private final MakeTurns turns;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jdkms-build");
            t.setDaemon(true);
            return t;
          });
  private Map<String, Integer> buildsPerVersion = Map.of();
  private List<KernelJob> allJobs = List.of();
  private final Map<String, Long> estimates = new java.util.concurrent.ConcurrentHashMap<>();
  private final MemoryBudget memory;
  private final BuildMemorySampler sampler;
  private final java.util.concurrent.atomic.AtomicInteger buildIds =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile Console notices = Console.silent();

  private final KernelPasses.Shared shared =
      new KernelPasses.Shared() {
        @Override
        public Path tmp() {
          return tmp;
        }

        @Override
        public BuildQueue queue() {
          return queue;
        }

        /** The unit's estimate, times the builds of its version when those take turns. */
        @Override
        public long weight(Unit unit, BuildSteps steps) {
          String mv = unit.module() + "/" + unit.version();
          long estimate = estimates.computeIfAbsent(mv, x -> steps.estimate(unit));
          return steps.sharesBuildDirectory(unit)
              ? estimate * buildsPerVersion.getOrDefault(mv, 1)
              : estimate;
        }

        @Override
        public Set<String> dependentsOf(String module) {
          return BuildScheduler.this.dependentsOf(module);
        }

        @Override
        public long memory(Unit unit, BuildSteps steps) {
          return memory.estimate(steps.recordedPeakBytes(unit));
        }
      };

  /**
   * @param jobserver the budget every build shares
   * @param tmp where captures spool their children's output
   * @param makeflags the MAKEFLAGS builds would have had (kept, minus job options)
   */
  public BuildScheduler(Jobserver jobserver, Path tmp, String makeflags) {
    this(jobserver, tmp, makeflags, MemoryBudget.unlimited(), null);
  }

  /**
   * @param memory how many builds fit in memory at once
   * @param sampler measures each build's peak memory (null: nothing measured)
   */
  BuildScheduler(
      Jobserver jobserver,
      Path tmp,
      String makeflags,
      MemoryBudget memory,
      BuildMemorySampler sampler) {
    this.memory = memory;
    this.sampler = sampler;
    this.jobserver = jobserver;
    this.tmp = tmp;
    this.environment = jobserver.environment(makeflags);
    // Two more builds than the budget: the makes take their tokens themselves (see
    // JobserverShell) and their turns in priority order (MakeTurns), so the builds beyond the
    // budget copy, patch, sign or install while the others' makes use every token, and the next
    // make is ready when one ends. When none runs, a token a killed make never gave back is put
    // back.
    this.queue =
        new BuildQueue(
            jobserver.budget() + 2, jobserver::refill, memory, line -> notices.errln(line));
    this.turns = new MakeTurns(jobserver.budget(), BuildQueue.PRIORITY);
  }

  /**
   * A scheduler whose builds start as {@code memory} allows, measuring each build's peak memory on
   * {@code host} for {@link BuildSteps#measured}.
   */
  public static BuildScheduler withMemory(
      Jobserver jobserver, Path tmp, String makeflags, MemoryBudget memory, HostPaths host) {
    return new BuildScheduler(
        jobserver, tmp, makeflags, memory, BuildMemorySampler.ofThisProcess(host));
  }

  /** Runs every job; kernels print one after another, in the order given. */
  public List<KernelOutcome> run(List<KernelJob> jobs, BuildSteps steps, Console console)
      throws IOException {
    notices = console;
    Thread dispatcher = new Thread(this::dispatch, "jdkms-dispatch");
    dispatcher.setDaemon(true);
    dispatcher.start();
    List<Capture> kernelConsoles = new ArrayList<>();
    List<CompletableFuture<KernelOutcome>> outcomes = new ArrayList<>();
    try {
      for (int i = 0; i < jobs.size(); i++) {
        Capture c = Capture.open(tmp);
        kernelConsoles.add(c);
        if (i == 0) {
          c.goLive(console);
        }
      }
      Map<String, Integer> buildsPerVersion = new HashMap<>();
      for (KernelJob j : jobs) {
        for (Unit u : j.units()) {
          if (!u.built()) {
            buildsPerVersion.merge(u.module() + "/" + u.version(), 1, Integer::sum);
          }
        }
      }
      this.buildsPerVersion = buildsPerVersion;
      this.allJobs = List.copyOf(jobs);
      // Preparations run one at a time in kernel order, as they would one kernel after another
      // (the first may create the signing key the others then find).
      List<CompletableFuture<Void>> prepared = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) {
        prepared.add(new CompletableFuture<>());
      }
      for (int i = 0; i < jobs.size(); i++) {
        int ki = i;
        KernelJob job = jobs.get(i);
        Console kc = kernelConsoles.get(i).console();
        CompletableFuture<Void> before =
            i == 0 ? CompletableFuture.completedFuture(null) : prepared.get(i - 1);
        CompletableFuture<Void> mine = prepared.get(i);
        outcomes.add(
            CompletableFuture.supplyAsync(
                () -> new KernelPasses(shared, job, ki, steps, kc, before, mine).run(), pool));
      }
      List<KernelOutcome> out = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) {
        out.add(join(outcomes.get(i)));
        kernelConsoles.get(i).flush();
        if (i + 1 < jobs.size()) {
          kernelConsoles.get(i + 1).goLive(console);
        }
      }
      return out;
    } finally {
      queue.shutdown();
      kernelConsoles.forEach(Capture::close);
      pool.shutdown();
      if (sampler != null) {
        sampler.close();
      }
    }
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Starts queued builds as {@link BuildQueue} lets them. */
  private void dispatch() {
    try {
      PendingBuild p;
      while ((p = queue.next()) != null) {
        PendingBuild started = p;
        turns.started(started);
        pool.execute(() -> build(started));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The build directories an install may use besides its own: upstream's BUILD_DEPENDS_REBUILD
   * rebuilds the modules that depend on the one installed, in their {@code M/V/build}.
   */
  private Set<String> dependentsOf(String module) {
    Set<String> out = new java.util.TreeSet<>();
    for (KernelJob j : allJobs) {
      for (Unit u : j.units()) {
        if (u.depends().contains(module)) {
          out.add(u.module() + "/" + u.version());
        }
      }
    }
    return out;
  }

  private void build(PendingBuild p) {
    long start = System.nanoTime();
    BuildSteps.Built b = null;
    Throwable failure = null;
    String id = Integer.toString(buildIds.incrementAndGet());
    Map<String, String> env = new java.util.LinkedHashMap<>(environment);
    env.put(BuildMemorySampler.ENV, id);
    if (sampler != null) {
      sampler.started(id);
    }
    try {
      b = p.steps.build(p.job, p.unit, p.capture.console(), env, turns.of(p));
      if (sampler != null) {
        p.steps.measured(p.job, p.unit, b, sampler.finished(id));
      }
      p.capture.flush();
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      p.millis = (System.nanoTime() - start) / 1_000_000;
      turns.finished(p);
      queue.finished(p);
    }
    if (failure != null) {
      p.done.completeExceptionally(failure);
    } else {
      p.done.complete(b);
    }
  }
}
