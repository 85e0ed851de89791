package dev.jdkms.core.engine;

import dev.jdkms.core.actions.Checks;
import dev.jdkms.core.actions.KernelArches;
import dev.jdkms.core.actions.Lifecycle;
import dev.jdkms.core.actions.PostTransaction;
import dev.jdkms.core.actions.TreeLocks;
import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.initramfs.InitramfsPolicy;
import dev.jdkms.core.install.Depmod;
import dev.jdkms.core.plan.ChangedPaths;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.plan.Executor.KernelOutcome;
import dev.jdkms.core.plan.Plan;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.ModuleVersion;
import dev.jdkms.core.plan.Plan.Teardown;
import dev.jdkms.core.plan.Planner;
import dev.jdkms.core.plan.Recipe;
import dev.jdkms.core.plan.TreeInventory;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.TreeLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One package-manager transaction: its events become one {@link Plan}, which runs under the tree
 * lock — registrations, teardowns, removals, then every kernel's builds in parallel and installs in
 * order (printed kernel after kernel as {@code dkms autoinstall} prints them), one depmod per
 * changed kernel, and {@code post_transaction} once. The adapters (apt, rpm, pacman,
 * kernel-install) only translate their protocol into events and this outcome into their exit status
 * policy.
 */
public final class Transaction {
  /** {@code status} when something failed (autoinstall's status). */
  public static final int FAILED = ExitCode.AUTOINSTALL_FAILED;

  /**
   * What happened; {@code status} 0 when nothing failed, else {@link #FAILED}. {@code
   * bootCriticalFailed}: {@code M/V K} of every failed module whose dkms.conf says
   * REMAKE_INITRD=yes, on a kernel that stays (adapters whose host lets a kernel install fail for
   * that alone read it through {@link #failures}).
   */
  public record Outcome(
      Plan plan,
      List<KernelOutcome> kernels,
      List<InitramfsPolicy.Decision> initramfs,
      List<WeakLinksStep.Result> weakLinks,
      List<String> bootCriticalFailed,
      List<String> problems,
      boolean changed,
      int status) {}

  private final Session session;

  public Transaction(Session session) {
    this.session = session;
  }

  /**
   * {@code events} plus those that a host's lists of installed and removed files stand for ({@link
   * ChangedPaths}; module directories are named by the tree or their dkms.conf). The translation's
   * notes go to stderr as {@code jdkms: note: ...}.
   */
  public List<Event> withChangedPaths(
      List<Event> events, List<String> installed, List<String> removed) throws DkmsException {
    if (installed.isEmpty() && removed.isEmpty()) {
      return events;
    }
    ChangedPaths.Translation tr =
        ChangedPaths.translate(installed, removed, new SourceDirNames(session));
    tr.notes().forEach(n -> session.console().errln("jdkms: note: " + n));
    List<Event> all = new ArrayList<>(events);
    all.addAll(tr.events());
    return all;
  }

  /** The plan for {@code events} as the tree is now (nothing is changed). */
  public Plan plan(List<Event> events) throws DkmsException, IOException {
    DkmsConfRecipes recipes = new DkmsConfRecipes(session);
    TreeInventory inventory =
        new TreeInventory(
            session.tree(),
            session.installTree(),
            session.host().etcDkms(),
            KernelArches.machine(),
            recipes,
            session.distribution().linksWeakUpdates());
    ConfPrefetch.run(session, inventory, events, KernelArches.machine());
    return new Planner(inventory).plan(events);
  }

  /** Plans and runs {@code events} under the tree lock. */
  public Outcome run(List<Event> events) throws DkmsException, IOException {
    Checks.root(session);
    if (session.setting("parallel_jobs").isEmpty()) {
      session.putSetting(
          "parallel_jobs", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }
    try (TreeLock lock = TreeLocks.acquire(session)) {
      Plan plan = plan(events);
      return execute(plan, events);
    }
  }

  private Outcome execute(Plan plan, List<Event> events) throws IOException {
    Console out = session.console();
    List<String> problems = new ArrayList<>(plan.notes().stream().map(n -> "note: " + n).toList());
    Set<String> depmodKernels = new LinkedHashSet<>();
    boolean changed = false;
    for (ModuleVersion mv : plan.registrations()) {
      Session f = forModule(mv.module(), mv.version(), List.of());
      int rc = f.subshell(() -> checked(() -> new Lifecycle(f, Autoinstall::afterRpm).add()));
      changed |= rc == 0;
      if (rc != 0) {
        problems.add(mv + ": add failed (exit " + rc + ")");
      }
    }
    Set<ModuleVersion> failedTeardowns = new HashSet<>();
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
    List<KernelJob> jobs = plan.jobs().stream().filter(j -> !j.units().isEmpty()).toList();
    List<KernelOutcome> kernels = List.of();
    if (!jobs.isEmpty()) {
      Map<String, Session> parents = new LinkedHashMap<>();
      for (KernelJob j : jobs) {
        DkmsRequest onKernel = session.request().forKernels(List.of(j.kernel()), List.of(j.arch()));
        parents.put(j.kernel(), session.fork(out, onKernel));
      }
      JobRunner.Result r = JobRunner.run(session, parents, jobs, true, true);
      kernels = r.kernels();
      for (String k : r.depmodFailed()) {
        problems.add(k + ": depmod failed");
      }
      for (KernelOutcome k : kernels) {
        changed |= k.installedSomething();
        k.preparationFailure()
            .ifPresent(
                e ->
                    problems.add(
                        k.job().kernel()
                            + ": "
                            + String.join(" ", e.lines())
                            + " (exit "
                            + e.exitCode()
                            + ")"));
        if (k.installedSomething()) {
          depmodKernels.remove(k.job().kernel());
        }
      }
    }
    List<WeakLinksStep.Result> weak = new ArrayList<>();
    for (Plan.WeakLinks w : plan.weakLinks()) {
      WeakLinksStep.Result r = new WeakLinksStep(session).run(w, KernelArches.machine());
      weak.add(r);
      if (r.changed()) {
        changed = true;
        if (!w.kernelRemoved()) {
          depmodKernels.add(w.kernel());
        }
      }
    }
    for (String k : depmodKernels) {
      if (!session.request().noDepmod && Files.isDirectory(session.kernel(k).dir())) {
        if (Depmod.run(session.kernel(k), session.host()) != 0) {
          problems.add(k + ": depmod failed");
        }
      }
    }
    InitramfsStep initramfsStep = new InitramfsStep(session);
    List<InitramfsPolicy.Decision> initramfs = initramfsStep.run(plan, kernels, events, problems);
    boolean failed =
        problems.stream().anyMatch(p -> !p.startsWith("note: "))
            || kernels.stream().anyMatch(KernelOutcome::failed);
    if (changed && !failed) {
      PostTransaction.run(session);
    }
    List<String> critical = initramfsStep.bootCriticalFailures(kernels);
    int status = failed ? FAILED : 0;
    return new Outcome(plan, kernels, initramfs, weak, critical, problems, changed, status);
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

  /** Recipes read as upstream reads dkms.conf; an unreadable one is not built (and says why). */
  private static final class DkmsConfRecipes implements TreeInventory.Recipes {
    private final Session session;

    DkmsConfRecipes(Session session) {
      this.session = session;
    }

    @Override
    public Recipe read(String m, String v, String k, String a) {
      try {
        DkmsConf c = new ConfReader(session).read(m, v, k, a, session.tree().sourceConf(m, v));
        return new Recipe(c.autoinstall(), c.buildExcluded(), c.buildDepends());
      } catch (DkmsException e) {
        session.report(e);
        return new Recipe(false, false, List.of());
      }
    }
  }
}
