package dev.jdkms.core.engine;

import dev.jdkms.core.actions.Lifecycle;
import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.plan.Plan;
import dev.jdkms.core.plan.Plan.ModuleVersion;
import dev.jdkms.core.plan.Plan.Teardown;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A transaction's changes to the tree before any build: registrations (add), teardowns (unbuild for
 * a kernel) and removals, each unit in a session forked from the transaction's with its request
 * narrowed to that unit and its action run there as a subshell. A failure is a problem of the
 * transaction, never the end of it.
 */
final class TreeChanges {
  private final Session session;

  TreeChanges(Session session) {
    this.session = session;
  }

  /**
   * What changed: {@code depmodKernels}, kernels whose module index must be rebuilt at the end;
   * {@code problems}, what failed.
   */
  record Result(boolean changed, Set<String> depmodKernels, List<String> problems) {}

  private final List<String> problems = new ArrayList<>();
  private final Set<String> depmodKernels = new LinkedHashSet<>();
  private final Set<ModuleVersion> failedTeardowns = new HashSet<>();
  private boolean changed;

  /** Runs the plan's registrations, teardowns and removals, in that order (once per instance). */
  Result run(Plan plan) throws IOException {
    register(plan);
    tearDown(plan);
    remove(plan);
    return new Result(changed, depmodKernels, problems);
  }

  private void register(Plan plan) {
    for (ModuleVersion mv : plan.registrations()) {
      Session f = forModule(mv.module(), mv.version(), List.of());
      int rc = f.subshell(() -> checked(() -> new Lifecycle(f, Autoinstall::afterRpm).add()));
      changed |= rc == 0;
      if (rc != 0) {
        problems.add(mv + ": add failed (exit " + rc + ")");
      }
    }
  }

  private void tearDown(Plan plan) throws IOException {
    Console out = session.console();
    Set<String> removedKernels = new LinkedHashSet<>();
    for (Teardown t : plan.teardowns()) {
      out.errln(
          "dkms: removing module "
              + t.module()
              + "/"
              + t.version()
              + " for kernel "
              + t.kernel()
              + " ("
              + t.arch()
              + ")");
      List<String[]> ka = new ArrayList<>();
      ka.add(new String[] {t.kernel(), t.arch()});
      Session f = forTeardown(t.module(), t.version(), ka, true);
      int rc = f.subshell(() -> checked(() -> new Lifecycle(f, Autoinstall::afterRpm).unbuild()));
      out.println("");
      changed = true;
      if (t.reason() == Plan.TeardownReason.KERNEL_REMOVED) {
        removedKernels.add(t.kernel()); // no index for a kernel that is going away
      } else {
        depmodKernels.add(t.kernel());
      }
      if (rc != 0) {
        failedTeardowns.add(new ModuleVersion(t.module(), t.version()));
        problems.add(
            t.module()
                + "/"
                + t.version()
                + " on "
                + t.kernel()
                + ": teardown failed (exit "
                + rc
                + ")");
      }
    }
    for (String k : removedKernels) {
      // as kernel_prerm leaves it: no empty directory keeps /lib/modules/K once the kernel is gone
      FileTrees.deleteEmptyDirs(session.kernel(k).dir());
    }
  }

  private void remove(Plan plan) {
    for (ModuleVersion mv : plan.removals()) {
      if (failedTeardowns.contains(mv)) {
        // Forgetting it now would leave its installed files behind with nothing pointing at them.
        problems.add(mv + ": not removed from the tree, its teardown failed");
        continue;
      }
      Session f = forTeardown(mv.module(), mv.version(), List.of(), false);
      int rc = f.subshell(() -> checked(() -> new Lifecycle(f, Autoinstall::afterRpm).remove()));
      changed = true;
      if (rc != 0) {
        problems.add(mv + ": remove failed (exit " + rc + ")");
      }
    }
  }

  /** The transaction's request narrowed to one unit: M/V on these kernels. */
  private DkmsRequest unitRequest(String m, String v, List<String[]> kernelArches) {
    List<String> kernels = new ArrayList<>();
    List<String> arches = new ArrayList<>();
    for (String[] ka : kernelArches) {
      kernels.add(ka[0]);
      arches.add(ka[1]);
    }
    return session.request().forModule(m, v).forKernels(kernels, arches);
  }

  private Session forModule(String m, String v, List<String[]> kernelArches) {
    return session.fork(session.console(), unitRequest(m, v, kernelArches));
  }

  /**
   * A session to uninstall, unbuild or remove M/V. When its source is gone (the package was erased
   * before the hook ran), the dkms.conf copy kept by its last build stands in ({@code -c}). With
   * {@code deferDepmod}, depmod is left to the transaction's end.
   */
  private Session forTeardown(
      String m, String v, List<String[]> kernelArches, boolean deferDepmod) {
    DkmsRequest r = unitRequest(m, v, kernelArches);
    Path copy = session.tree().confCopy(m, v);
    if (session.tree().isBroken(m, v) && Files.isRegularFile(copy)) {
      r = r.withConf(copy.toString());
    }
    return session.fork(session.console(), deferDepmod ? r.withoutDepmod() : r);
  }

  private interface IoWork {
    int run() throws DkmsException, IOException;
  }

  private static void checked(IoWork w) throws DkmsException {
    try {
      int rc = w.run();
      if (rc != 0) {
        throw DkmsException.silent(rc);
      }
    } catch (IOException e) {
      throw Lifecycle.io(e);
    }
  }
}
