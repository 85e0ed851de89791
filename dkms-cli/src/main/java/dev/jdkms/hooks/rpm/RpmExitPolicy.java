package dev.jdkms.hooks.rpm;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.hooks.EngineResult;
import java.util.List;

/**
 * rpm's and dnf's exit policy: the triggers always exit 0, so a module that fails to build never
 * fails the transaction (the packages are installed); the failure is said on stderr after the
 * engine's output, which shows the compiler's error lines and the summary.
 */
public final class RpmExitPolicy {
  private RpmExitPolicy() {}

  /** The lines printed on stderr after the engine's run. */
  public static List<String> lines(EngineResult r) {
    if (r.succeeded()) {
      return List.of();
    }
    if (r.status() == ExitCode.AUTOINSTALL_FAILED) {
      return List.of(
          "jdkms: WARNING: module(s) failed to build or install (jdkms transaction exit status 11;"
              + " see above).",
          "jdkms: the rpm transaction is not failed for it; after fixing the cause run: dkms"
              + " autoinstall -k KERNEL");
    }
    return List.of(
        "jdkms: ERROR: jdkms transaction failed with exit status "
            + r.status()
            + " (see above); the rpm transaction goes on.");
  }
}
