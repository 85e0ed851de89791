package dev.jdkms.core.plan;

import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.session.DkmsException;
import java.util.List;
import java.util.Optional;

/** A kernel's outcome; {@code units} in console order, unrun ones last. */
public record KernelOutcome(
    KernelJob job, List<UnitOutcome> units, Optional<DkmsException> preparationFailure) {
  public boolean installedSomething() {
    return units.stream().anyMatch(u -> u.result() == UnitOutcome.Result.INSTALLED);
  }

  public boolean failed() {
    return preparationFailure.isPresent()
        || units.stream()
            .anyMatch(
                u ->
                    u.result() == UnitOutcome.Result.BUILD_FAILED
                        || u.result() == UnitOutcome.Result.INSTALL_FAILED
                        || u.result() == UnitOutcome.Result.MISSING_DEPENDENCIES);
  }
}
