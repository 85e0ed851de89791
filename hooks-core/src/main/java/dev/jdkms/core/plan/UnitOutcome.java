package dev.jdkms.core.plan;

import dev.jdkms.core.plan.Plan.Unit;
import java.util.List;
import java.util.Optional;

/** One unit's outcome. {@code waitingFor}: dependencies never installed. */
public record UnitOutcome(
    Unit unit,
    Result result,
    int status,
    List<String> waitingFor,
    Optional<BuildSteps.Failure> failure,
    long buildMillis) {
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
}
