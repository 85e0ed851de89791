package dev.jdkms.core.dkms;

import dev.jdkms.core.install.Depmod;
import dev.jdkms.core.plan.Executor;
import dev.jdkms.core.plan.Executor.KernelOutcome;
import dev.jdkms.core.plan.Jobserver;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs kernel jobs through the parallel {@link Executor} with the drop-in's actions: one make
 * jobserver for all builds ({@code parallel_jobs} tokens), then one depmod per kernel that got
 * modules.
 */
final class Engine {
  /** The kernels' outcomes and the kernels whose final depmod failed. */
  record Result(List<KernelOutcome> kernels, List<String> depmodFailed) {}

  private Engine() {}

  static Result run(
      Session main, Map<String, Session> parents, List<KernelJob> jobs, boolean autoinstallLines)
      throws IOException {
    Set<String> defer = new LinkedHashSet<>();
    if (!main.request().noDepmod) {
      String running = runningKernel();
      for (KernelJob j : jobs) {
        // modprobe_on_install loads right after the install: depmod must have run by then.
        if (main.setting("modprobe_on_install").isEmpty() || !j.kernel().equals(running)) {
          defer.add(j.kernel());
        }
      }
    }
    EngineSteps steps = new EngineSteps(parents, autoinstallLines, defer);
    Path base =
        Path.of(main.setting("tmp_location").isEmpty() ? "/tmp" : main.setting("tmp_location"));
    Path tmp = RunDirectory.create(base);
    List<KernelOutcome> outcomes;
    try (Jobserver js = Jobserver.start(tmp, budget(main))) {
      outcomes =
          new Executor(js, tmp, main.environment().get("MAKEFLAGS"))
              .run(jobs, steps, main.console());
    } finally {
      RunDirectory.delete(tmp);
    }
    List<String> failed = new ArrayList<>();
    for (KernelJob j : jobs) {
      if (defer.contains(j.kernel()) && steps.installedOn().contains(j.kernel())) {
        if (Depmod.run(main.kernel(j.kernel())) != 0) {
          failed.add(j.kernel());
        }
      }
    }
    return new Result(outcomes, failed);
  }

  /** The job budget: parallel_jobs (or -j) when it is a number, else the number of CPUs. */
  static int budget(Session s) {
    try {
      int n = Integer.parseInt(s.setting("parallel_jobs").trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // empty (make -j without a limit) or not a number: one job per CPU
    }
    return Runtime.getRuntime().availableProcessors();
  }

  private static String runningKernel() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
