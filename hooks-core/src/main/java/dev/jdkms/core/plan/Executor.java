package dev.jdkms.core.plan;

import dev.jdkms.core.console.Capture;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.MakeTurn;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.session.DkmsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * ({@link Steps#sharesBuildDirectory}), the module version's build directory ({@code M/V/build},
 * shared by all kernels) is free. Among the builds under way, makes start biggest first, one per
 * token ({@link MakeTurns}), so that a run does not end on its longest make running alone. Builds
 * print into a {@link Capture} that is replayed, and then streams live, when the unit's turn on the
 * console comes. A failed build or install never stops the other units; units whose dependencies
 * can never be installed (a failure, a cycle, a module not registered) are reported, never waited
 * for.
 */
public final class Executor {
  /** The work the executor schedules; the drop-in implements it with its actions. */
  public interface Steps {
    /**
     * Once per kernel before its first build (upstream's prepare_kernel_and_signing). A failure
     * stops the kernel's job where its first unbuilt unit would have run.
     */
    void prepare(KernelJob job, Console console) throws DkmsException;

    /**
     * Builds a unit that is not built (runs in a build thread), each make command in its {@code
     * turn}. Returns its state for install.
     */
    Built build(
        KernelJob job, Unit unit, Console console, Map<String, String> jobserverEnv, MakeTurn turn);

    /**
     * Installs a unit (after its build, when it had one), in order on the kernel's console; returns
     * the exit status (0 installed, 77 skipped, other failed).
     */
    int install(KernelJob job, Unit unit, Optional<Built> built, Console console);

    /** Printed before a unit's turn (autoinstall's "Autoinstall of module" line). */
    void before(KernelJob job, Unit unit, Console console);

    /** Printed after a unit's turn. */
    void after(KernelJob job, Unit unit, int status, Console console);

    /**
     * A rough measure of a unit's build work (e.g. its source size), so the longest chains start
     * first; 0 when unknown.
     */
    default long estimate(Unit unit) {
      return 0;
    }

    /**
     * Whether the unit builds in its version's shared {@code M/V/build}, so that builds of that
     * version for other kernels must wait (false: each build has a private area).
     */
    default boolean sharesBuildDirectory(Unit unit) {
      return true;
    }
  }

  /** What a build left for its install: its status and whatever state the steps keep. */
  public interface Built {
    int status();

    /** Where a failed build's log is kept, and its first error with context. */
    default Optional<Failure> failure() {
      return Optional.empty();
    }
  }

  /** A failed build's log and the excerpt of it worth showing. */
  public record Failure(Path log, List<String> excerpt) {}

  /** How a unit ended. */
  public enum Result {
    INSTALLED,
    SKIPPED,
    BUILD_FAILED,
    INSTALL_FAILED,
    /** A dependency is registered but was not installed (failed, cycle, not AUTOINSTALL). */
    MISSING_DEPENDENCIES,
    /** A dependency is not registered with DKMS at all (yet). */
    DEFERRED,
    /** The kernel's preparation failed before this unit's turn. */
    NOT_RUN
  }

  /** One unit's outcome. {@code waitingFor}: dependencies never installed. */
  public record UnitOutcome(
      Unit unit,
      Result result,
      int status,
      List<String> waitingFor,
      Optional<Failure> failure,
      long buildMillis) {}

  /** A kernel's outcome; {@code units} in console order, unrun ones last. */
  public record KernelOutcome(
      KernelJob job, List<UnitOutcome> units, Optional<DkmsException> preparationFailure) {
    public boolean installedSomething() {
      return units.stream().anyMatch(u -> u.result() == Result.INSTALLED);
    }

    public boolean failed() {
      return preparationFailure.isPresent()
          || units.stream()
              .anyMatch(
                  u ->
                      u.result() == Result.BUILD_FAILED
                          || u.result() == Result.INSTALL_FAILED
                          || u.result() == Result.MISSING_DEPENDENCIES);
    }
  }

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

  /**
   * @param jobserver the budget every build shares
   * @param tmp where captures spool their children's output
   * @param makeflags the MAKEFLAGS builds would have had (kept, minus job options)
   */
  public Executor(Jobserver jobserver, Path tmp, String makeflags) {
    this.jobserver = jobserver;
    this.tmp = tmp;
    this.environment = jobserver.environment(makeflags);
    // Two more builds than the budget: the makes take their tokens themselves (see
    // JobserverShell) and their turns in priority order (MakeTurns), so the builds beyond the
    // budget
    // copy, patch, sign or install while the others' makes use every token, and the next make is
    // ready when one ends. When none runs, a token a killed make never gave back is put back.
    this.queue = new BuildQueue(jobserver.budget() + 2, jobserver::refill);
    this.turns = new MakeTurns(jobserver.budget(), BuildQueue.PRIORITY);
  }

  /** The most builds that ran at the same time (tests, benchmark). */
  public int maxConcurrentBuilds() {
    return queue.maxRunning();
  }

  /** Runs every job; kernels print one after another, in the order given. */
  public List<KernelOutcome> run(List<KernelJob> jobs, Steps steps, Console console)
      throws IOException {
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
                () -> new KernelRun(job, ki, steps, kc, before, mine).run(), pool));
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
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
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
    Built b = null;
    Throwable failure = null;
    try {
      b = p.steps.build(p.job, p.unit, p.capture.console(), environment, turns.of(p));
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

  /** One kernel's foreground: passes in order, installs one at a time. */
  private final class KernelRun {
    final KernelJob job;
    final int kernelIndex;
    final Steps steps;
    final Console console;
    final Set<String> resolved = new LinkedHashSet<>();
    final Map<String, Integer> pass = new HashMap<>();
    final Map<String, PendingBuild> builds = new HashMap<>();
    final Map<String, UnitOutcome> outcomes = new HashMap<>();
    Capture preparation;
    Optional<DkmsException> preparationFailure = Optional.empty();
    boolean preparationShown;

    final CompletableFuture<Void> previousPrepared;
    final CompletableFuture<Void> prepared;

    KernelRun(
        KernelJob job,
        int kernelIndex,
        Steps steps,
        Console console,
        CompletableFuture<Void> previousPrepared,
        CompletableFuture<Void> prepared) {
      this.previousPrepared = previousPrepared;
      this.prepared = prepared;
      this.job = job;
      this.kernelIndex = kernelIndex;
      this.steps = steps;
      this.console = console;
      resolved.addAll(job.installed());
    }

    KernelOutcome run() {
      try {
        return doRun();
      } finally {
        prepared.complete(null);
        builds.values().forEach(p -> p.capture.close());
        if (preparation != null) {
          preparation.close();
        }
      }
    }

    private KernelOutcome doRun() {
      join(previousPrepared);
      try {
        prepare();
      } finally {
        prepared.complete(null);
      }
      assignPasses(0);
      return passes();
    }

    private void prepare() {
      if (job.units().stream().anyMatch(u -> !u.built())) {
        try {
          preparation = Capture.open(tmp);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        try {
          steps.prepare(job, preparation.console());
        } catch (DkmsException e) {
          preparationFailure = Optional.of(e);
        }
      }
    }

    private KernelOutcome passes() {
      List<UnitOutcome> ordered = new ArrayList<>();
      for (int current = 1; ; current++) {
        int p = current;
        List<Unit> units = job.units().stream().filter(u -> passOf(u) == p).toList();
        if (units.isEmpty()) {
          break;
        }
        int progress = 0;
        for (Unit u : units) {
          if (!u.built() && !preparationShown) {
            preparation.goLive(console);
            preparation.flush();
            preparationShown = true;
            if (preparationFailure.isPresent()) {
              return stopped(ordered);
            }
          }
          UnitOutcome o = turn(u);
          ordered.add(o);
          outcomes.put(u.module(), o);
          if (o.result() == Result.INSTALLED || o.result() == Result.SKIPPED) {
            resolved.add(u.module());
            progress++;
            assignPasses(current);
          }
        }
        if (progress == 0) {
          break;
        }
      }
      for (Unit u : job.units()) {
        if (!outcomes.containsKey(u.module())) {
          List<String> waiting = u.depends().stream().filter(d -> !resolved.contains(d)).toList();
          boolean known = waiting.stream().anyMatch(job.known()::contains);
          ordered.add(
              new UnitOutcome(
                  u,
                  known ? Result.MISSING_DEPENDENCIES : Result.DEFERRED,
                  0,
                  waiting,
                  Optional.empty(),
                  0));
        }
      }
      return new KernelOutcome(job, ordered, preparationFailure);
    }

    private KernelOutcome stopped(List<UnitOutcome> ordered) {
      for (Unit u : job.units()) {
        if (ordered.stream().noneMatch(o -> o.unit().equals(u))) {
          ordered.add(new UnitOutcome(u, Result.NOT_RUN, 0, List.of(), Optional.empty(), 0));
        }
      }
      return new KernelOutcome(job, ordered, preparationFailure);
    }

    private int passOf(Unit u) {
      return pass.getOrDefault(u.module(), -1);
    }

    /**
     * Gives a pass to every unit whose dependencies are now all resolved (one more than the pass
     * that resolved the last of them) and queues its build.
     */
    private void assignPasses(int finishedPass) {
      // All at once, so the dispatcher chooses among every unit that became ready.
      List<PendingBuild> ready = new ArrayList<>();
      for (int i = 0; i < job.units().size(); i++) {
        Unit u = job.units().get(i);
        if (pass.containsKey(u.module()) || !resolved.containsAll(u.depends())) {
          continue;
        }
        int p = finishedPass + 1;
        pass.put(u.module(), p);
        if (!u.built() && preparationFailure.isEmpty()) {
          String mv = u.module() + "/" + u.version();
          long estimate = estimates.computeIfAbsent(mv, x -> steps.estimate(u));
          PendingBuild b =
              new PendingBuild(
                  job,
                  u,
                  steps,
                  kernelIndex,
                  p,
                  i,
                  estimate * buildsPerVersion.getOrDefault(mv, 1),
                  tmp);
          builds.put(u.module(), b);
          ready.add(b);
        }
      }
      queue.submit(ready);
    }

    private UnitOutcome turn(Unit u) {
      steps.before(job, u, console);
      Optional<Built> built = Optional.empty();
      long millis = 0;
      int status;
      Result result;
      Optional<Failure> failure = Optional.empty();
      PendingBuild b = builds.get(u.module());
      if (b != null) {
        b.capture.goLive(console);
        Built done = join(b.done);
        b.capture.flush();
        built = Optional.of(done);
        millis = b.millis;
        status = done.status();
        failure = done.failure();
      } else {
        status = 0;
      }
      if (status == 0) {
        Set<String> dirs = dependentsOf(u.module());
        queue.reserve(dirs);
        try {
          status = steps.install(job, u, built, console);
        } finally {
          queue.release(dirs);
        }
        result =
            status == 0 ? Result.INSTALLED : status == 77 ? Result.SKIPPED : Result.INSTALL_FAILED;
      } else {
        result = status == 77 ? Result.SKIPPED : Result.BUILD_FAILED;
      }
      steps.after(job, u, status, console);
      return new UnitOutcome(u, result, status, List.of(), failure, millis);
    }
  }
}
