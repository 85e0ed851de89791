package dev.jdkms.core.plan;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.MakeTurn;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.session.DkmsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The work the {@link BuildScheduler} schedules for each unit of a kernel job; the engine
 * implements it with the drop-in's actions.
 */
public interface BuildSteps {
  /**
   * Once per kernel before its first build (upstream's prepare_kernel_and_signing). A failure stops
   * the kernel's job where its first unbuilt unit would have run.
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

  /**
   * The peak memory (bytes) of the unit's build the last time its module was built, 0 when unknown:
   * the {@link MemoryBudget} estimates from it.
   */
  default long recordedPeakBytes(Unit unit) {
    return 0;
  }

  /**
   * A build ended (in its build thread, before its install): {@code peakBytes} is the most its
   * processes held at once (0 when not measured), to be kept for the next estimate.
   */
  default void measured(KernelJob job, Unit unit, Built built, long peakBytes) {}

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
}
