package dev.jdkms.core.plan;

import dev.jdkms.core.console.Capture;
import dev.jdkms.core.plan.BuildSteps.Built;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** A build waiting for its turn or under way, with where its output goes and how it ended. */
final class PendingBuild {
  final KernelJob job;
  final Unit unit;
  final BuildSteps steps;
  final int kernelIndex;
  final int pass;
  final int index;
  final long weight;
  final long memoryBytes;
  final Capture capture;
  final CompletableFuture<Built> done = new CompletableFuture<>();
  volatile long millis;

  /**
   * @param pass the unit's install pass on its kernel (earlier passes build first)
   * @param index the unit's place on its kernel's console
   * @param weight how much work the build and the builds that wait on its directory are
   * @param memoryBytes how much memory the build is expected to take ({@link MemoryBudget})
   * @param tmp where the capture spools the build's output
   */
  PendingBuild(
      KernelJob job,
      Unit unit,
      BuildSteps steps,
      int kernelIndex,
      int pass,
      int index,
      long weight,
      long memoryBytes,
      Path tmp) {
    this.job = job;
    this.unit = unit;
    this.steps = steps;
    this.kernelIndex = kernelIndex;
    this.pass = pass;
    this.index = index;
    this.weight = weight;
    this.memoryBytes = memoryBytes;
    try {
      this.capture = Capture.open(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The module version's build directory, as {@code M/V}. */
  String dirKey() {
    return unit.module() + "/" + unit.version();
  }

  /** Whether other builds of the version must wait while this one runs. */
  boolean sharesDirectory() {
    return steps.sharesBuildDirectory(unit);
  }
}
