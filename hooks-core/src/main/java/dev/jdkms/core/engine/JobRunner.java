package dev.jdkms.core.engine;

import dev.jdkms.core.build.PrivateBuildAreas;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.PrivateView;
import dev.jdkms.core.host.HostMemory;
import dev.jdkms.core.install.Depmod;
import dev.jdkms.core.kernel.RunningKernel;
import dev.jdkms.core.plan.BuildScheduler;
import dev.jdkms.core.plan.Jobserver;
import dev.jdkms.core.plan.KernelOutcome;
import dev.jdkms.core.plan.MemoryBudget;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs kernel jobs through the parallel {@link BuildScheduler} with the drop-in's actions: one make
 * jobserver for all builds ({@code parallel_jobs} tokens), then one depmod per kernel that got
 * modules.
 */
final class JobRunner {
  /** The kernels' outcomes and the kernels whose final depmod failed. */
  record Result(List<KernelOutcome> kernels, List<String> depmodFailed) {}

  private JobRunner() {}

  /**
   * @param autoinstallLines print upstream's "Autoinstall of module" lines
   * @param progress say each build's phases on stderr (jdkms's engine; the drop-in only when stdout
   *     is a terminal, since its console is upstream's)
   */
  static Result run(
      Session main,
      Map<String, Session> parents,
      List<KernelJob> jobs,
      boolean autoinstallLines,
      boolean progress)
      throws IOException {
    if (progress) {
      main.showPhaseLines();
      parents.values().forEach(Session::showPhaseLines);
    }
    Set<String> defer = new LinkedHashSet<>();
    if (!main.request().noDepmod) {
      String running = runningKernel(main);
      for (KernelJob j : jobs) {
        // modprobe_on_install loads right after the install: depmod must have run by then.
        if (main.setting("modprobe_on_install").isEmpty() || !j.kernel().equals(running)) {
          defer.add(j.kernel());
        }
      }
    }
    Path base =
        main.setting("tmp_location").isEmpty()
            ? main.host().tmp()
            : Path.of(main.setting("tmp_location"));
    Path tmp = RunDirectory.create(base);
    List<KernelOutcome> outcomes;
    ActionSteps steps;
    try (Jobserver js = Jobserver.start(tmp, budget(main))) {
      Set<String> concurrent = ConcurrentVersions.of(main, jobs);
      PrivateBuildAreas areas =
          !concurrent.isEmpty() && PrivateView.available(tmp) ? new PrivateBuildAreas() : null;
      if (areas != null) {
        for (String mv : concurrent) {
          String[] p = mv.split("/", 2);
          areas.sweep(main.tree().buildDir(p[0], p[1]));
        }
      }
      Console console = main.console();
      steps =
          new ActionSteps(
              parents,
              autoinstallLines,
              defer,
              areas,
              concurrent,
              progress ? console::errln : l -> {});
      MemoryBudget memory = MemoryBudget.of(HostMemory.read(main.host()));
      if (memory.serial() && builds(jobs) > 1) {
        console.errln(memory.serialNotice());
      }
      outcomes =
          BuildScheduler.withMemory(
                  js, tmp, main.environment().get("MAKEFLAGS"), memory, main.host())
              .run(jobs, steps, console);
    } finally {
      RunDirectory.delete(tmp);
    }
    List<KernelJob> depmods =
        jobs.stream()
            .filter(j -> defer.contains(j.kernel()) && steps.installedOn().contains(j.kernel()))
            .toList();
    return new Result(outcomes, depmodAll(main, depmods));
  }

  private static long builds(List<KernelJob> jobs) {
    return jobs.stream().flatMap(j -> j.units().stream()).filter(u -> !u.built()).count();
  }

  /** One depmod per kernel, all at once (each is single-threaded); the kernels whose failed. */
  private static List<String> depmodAll(Session main, List<KernelJob> jobs) throws IOException {
    List<CompletableFuture<Integer>> runs = new ArrayList<>();
    for (KernelJob j : jobs) {
      runs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Depmod.run(main.kernel(j.kernel()), main.host());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }));
    }
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      try {
        if (runs.get(i).join() != 0) {
          failed.add(jobs.get(i).kernel());
        }
      } catch (CompletionException e) {
        if (e.getCause() instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        throw e;
      }
    }
    return failed;
  }

  /** The job budget: parallel_jobs (or -j) when it is a number, else the number of CPUs. */
  static int budget(Session s) {
    return Jobserver.budgetFor(s.setting("parallel_jobs"));
  }

  private static String runningKernel(Session main) {
    try {
      return RunningKernel.release(main.host().runningRelease());
    } catch (IOException e) {
      return "";
    }
  }
}
