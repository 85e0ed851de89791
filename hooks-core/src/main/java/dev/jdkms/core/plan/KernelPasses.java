package dev.jdkms.core.plan;

import dev.jdkms.core.console.Capture;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.plan.BuildSteps.Built;
import dev.jdkms.core.plan.BuildSteps.Failure;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.plan.UnitOutcome.Result;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
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

/**
 * One kernel's foreground in an {@link BuildScheduler} run: its preparation (after the previous
 * kernel's), then its units pass by pass in console order, each installed once its build is done,
 * while the builds of every kernel run in the background.
 */
final class KernelPasses {
  /** What every kernel's run shares: the executor's scheduling. */
  interface Shared {
    /** Where captures spool output. */
    Path tmp();

    BuildQueue queue();

    /** How much work a unit's build is, for {@link BuildQueue#PRIORITY}. */
    long weight(Unit unit, BuildSteps steps);

    /** The build directories an install of {@code module} may use besides its own. */
    Set<String> dependentsOf(String module);

    /** How much memory a unit's build is expected to take ({@link MemoryBudget}). */
    long memory(Unit unit, BuildSteps steps);
  }

  private final Shared shared;
  private final KernelJob job;
  private final int kernelIndex;
  private final BuildSteps steps;
  private final Console console;
  private final Set<String> resolved = new LinkedHashSet<>();
  private final Map<String, Integer> pass = new HashMap<>();
  private final Map<String, PendingBuild> builds = new HashMap<>();
  private final Map<String, UnitOutcome> outcomes = new HashMap<>();
  private Capture preparation;
  private Optional<DkmsException> preparationFailure = Optional.empty();
  private boolean preparationShown;

  private final CompletableFuture<Void> previousPrepared;
  private final CompletableFuture<Void> prepared;

  /**
   * @param previousPrepared completes when the previous kernel's preparation is done (this one's
   *     waits for it: the first may create the signing key the others then find)
   * @param prepared completed by this run once its own preparation is done
   */
  KernelPasses(
      Shared shared,
      KernelJob job,
      int kernelIndex,
      BuildSteps steps,
      Console console,
      CompletableFuture<Void> previousPrepared,
      CompletableFuture<Void> prepared) {
    this.shared = shared;
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
    BuildScheduler.join(previousPrepared);
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
        preparation = Capture.open(shared.tmp());
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
   * Gives a pass to every unit whose dependencies are now all resolved (one more than the pass that
   * resolved the last of them) and queues its build.
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
        PendingBuild b =
            new PendingBuild(
                job,
                u,
                steps,
                kernelIndex,
                p,
                i,
                shared.weight(u, steps),
                shared.memory(u, steps),
                shared.tmp());
        builds.put(u.module(), b);
        ready.add(b);
      }
    }
    shared.queue().submit(ready);
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
      Built done = BuildScheduler.join(b.done);
      b.capture.flush();
      built = Optional.of(done);
      millis = b.millis;
      status = done.status();
      failure = done.failure();
    } else {
      status = 0;
    }
    if (status == 0) {
      Set<String> dirs = shared.dependentsOf(u.module());
      shared.queue().reserve(dirs);
      try {
        status = steps.install(job, u, built, console);
      } finally {
        shared.queue().release(dirs);
      }
      result =
          status == 0
              ? Result.INSTALLED
              : status == ExitCode.SKIPPED ? Result.SKIPPED : Result.INSTALL_FAILED;
    } else {
      result = status == ExitCode.SKIPPED ? Result.SKIPPED : Result.BUILD_FAILED;
    }
    steps.after(job, u, status, console);
    return new UnitOutcome(u, result, status, List.of(), failure, millis);
  }
}
