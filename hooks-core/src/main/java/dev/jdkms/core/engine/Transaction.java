package dev.jdkms.core.engine;

import dev.jdkms.core.actions.Checks;
import dev.jdkms.core.actions.KernelArches;
import dev.jdkms.core.actions.PostTransaction;
import dev.jdkms.core.actions.TreeLocks;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.Toolchain;
import dev.jdkms.core.initramfs.InitramfsPolicy;
import dev.jdkms.core.install.Depmod;
import dev.jdkms.core.plan.ChangedPaths;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.plan.KernelOutcome;
import dev.jdkms.core.plan.Plan;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Planner;
import dev.jdkms.core.plan.TreeInventory;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.PrebuiltModules;
import dev.jdkms.core.tree.TreeLock;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
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

  private final boolean staging;

  public Transaction(Session session) {
    this(session, false);
  }

  private Transaction(Session session, boolean staging) {
    this.session = session;
    this.staging = staging;
  }

  /**
   * A transaction into staging trees (a build farm's): the session's dkms, source and install trees
   * are private and its kernels are not this host's, so no initramfs is made, no weak-updates link
   * and no {@code post_transaction} runs; depmod follows the request ({@code noDepmod}).
   */
  public static Transaction staging(Session session) {
    return new Transaction(session, true);
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
    TreeInventory inventory = inventory();
    ConfPrefetch.run(session, inventory, events, KernelArches.machine());
    return new Planner(inventory).plan(events);
  }

  /**
   * The lines a kernel's appearance would note for modules whose prebuilt package is missing and
   * which cannot be built here (a hook that stops early, for a kernel without headers, says them).
   */
  public List<String> prebuiltMissing(String kernel) throws IOException {
    return new Planner(inventory()).missingPrebuilt(kernel);
  }

  /** The tree as the planner reads it; a staging host's modules are never prebuilt. */
  private TreeInventory inventory() {
    return new TreeInventory(
        session.tree(),
        session.installTree(),
        session.host().etcDkms(),
        KernelArches.machine(),
        new DkmsConfRecipes(session),
        session.distribution().linksWeakUpdates(),
        staging ? PrebuiltModules.NONE : session.prebuilt(),
        Toolchain.onPath(session.environment().get("PATH")));
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
    List<String> problems = new ArrayList<>(plan.notes().stream().map(n -> "note: " + n).toList());
    Set<String> depmodKernels = new LinkedHashSet<>();
    TreeChanges.Result tree = new TreeChanges(session).run(plan);
    problems.addAll(tree.problems());
    depmodKernels.addAll(tree.depmodKernels());
    boolean changed = tree.changed();
    List<KernelOutcome> kernels = buildAndInstall(plan, problems, depmodKernels);
    changed |= kernels.stream().anyMatch(KernelOutcome::installedSomething);
    List<WeakLinksStep.Result> weak = weakLinks(plan, depmodKernels);
    changed |= weak.stream().anyMatch(WeakLinksStep.Result::changed);
    depmod(depmodKernels, problems);
    InitramfsStep initramfsStep = new InitramfsStep(session);
    List<InitramfsPolicy.Decision> initramfs =
        staging ? List.of() : initramfsStep.run(plan, kernels, events, problems);
    boolean failed =
        problems.stream().anyMatch(p -> !p.startsWith("note: "))
            || kernels.stream().anyMatch(KernelOutcome::failed);
    if (changed && !failed && !staging) {
      PostTransaction.run(session);
    }
    List<String> critical = initramfsStep.bootCriticalFailures(kernels);
    int status = failed ? FAILED : 0;
    return new Outcome(plan, kernels, initramfs, weak, critical, problems, changed, status);
  }

  /** Every kernel job's builds in parallel and installs in order; problems and depmods noted. */
  private List<KernelOutcome> buildAndInstall(
      Plan plan, List<String> problems, Set<String> depmodKernels) throws IOException {
    Console out = session.console();
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
    return kernels;
  }

  /** The plan's weak-updates links; a kernel that stays and whose links changed needs depmod. */
  private List<WeakLinksStep.Result> weakLinks(Plan plan, Set<String> depmodKernels)
      throws IOException {
    List<WeakLinksStep.Result> weak = new ArrayList<>();
    for (Plan.WeakLinks w : staging ? List.<Plan.WeakLinks>of() : plan.weakLinks()) {
      WeakLinksStep.Result r = new WeakLinksStep(session).run(w, KernelArches.machine());
      weak.add(r);
      if (r.changed()) {
        if (!w.kernelRemoved()) {
          depmodKernels.add(w.kernel());
        }
      }
    }
    return weak;
  }

  private void depmod(Set<String> depmodKernels, List<String> problems) throws IOException {
    for (String k : depmodKernels) {
      if (!session.request().noDepmod && Files.isDirectory(session.kernel(k).dir())) {
        if (Depmod.run(session.kernel(k), session.host()) != 0) {
          problems.add(k + ": depmod failed");
        }
      }
    }
  }
}
