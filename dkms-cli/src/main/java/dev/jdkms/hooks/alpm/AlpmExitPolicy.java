package dev.jdkms.hooks.alpm;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.hooks.EngineResult;
import java.util.ArrayList;
import java.util.List;

/**
 * pacman's exit policy, the one of Arch's own dkms hook: always exit 0 (a module that fails to
 * build never fails the transaction, which is committed anyway), and every failure repeated at the
 * end as an {@code ==> ERROR:} line: the modules that failed with their outcome and kept log, then
 * the problems outside any module build.
 */
public final class AlpmExitPolicy {
  private AlpmExitPolicy() {}

  /** The error lines, without the {@code ==> ERROR: } prefix. */
  public static List<String> errors(EngineResult r) {
    List<String> out = new ArrayList<>();
    if (r.succeeded()) {
      return out;
    }
    for (EngineResult.Failure f : r.failures()) {
      String said = f.outcome().isEmpty() ? "failed; see the messages above" : f.outcome();
      out.add(
          f.module()
              + " for kernel "
              + f.kernel()
              + ": "
              + said
              + f.log().map(l -> "; log: " + l).orElse(""));
    }
    for (String p : r.problems()) {
      if (!p.startsWith("note: ")) {
        out.add(p);
      }
    }
    // AUTOINSTALL_FAILED is "a module failed", named above; anything else failed as a whole.
    if (r.status() != ExitCode.AUTOINSTALL_FAILED || out.isEmpty()) {
      out.add(
          "jdkms transaction failed with exit status " + r.status() + "; see the messages above");
    }
    return out;
  }
}
