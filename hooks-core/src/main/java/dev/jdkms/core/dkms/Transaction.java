package dev.jdkms.core.dkms;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.conf.ShellEvaluator;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.initramfs.Generator;
import dev.jdkms.core.initramfs.ImageLocator;
import dev.jdkms.core.initramfs.InitramfsPolicy;
import dev.jdkms.core.install.Depmod;
import dev.jdkms.core.plan.ChangedPaths;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.plan.Executor.KernelOutcome;
import dev.jdkms.core.plan.Executor.Result;
import dev.jdkms.core.plan.Executor.UnitOutcome;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
  public static final int FAILED = 11;

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
   * The events that a host's lists of installed and removed files stand for ({@link ChangedPaths});
   * module directories are named by the tree or their dkms.conf.
   */
  public ChangedPaths.Translation translate(List<String> installed, List<String> removed)
      throws DkmsException {
    return ChangedPaths.translate(installed, removed, new SourceDirNames(session));
  }

  /** The plan for {@code events} as the tree is now (nothing is changed). */
  public Plan plan(List<Event> events) throws DkmsException, IOException {
    DkmsConfRecipes recipes = new DkmsConfRecipes(session);
    return new Planner(
            new TreeInventory(
                session.tree(),
                session.installTree(),
                Path.of("/etc/dkms"),
                KernelArches.machine(),
                recipes,
                session.distribution().linksWeakUpdates()))
        .plan(events);
  }

  /** Plans and runs {@code events} under the tree lock. */
  public Outcome run(List<Event> events) throws DkmsException, IOException {
    Checks.root();
    if (session.setting("parallel_jobs").isEmpty()) {
      session.putSetting(
          "parallel_jobs", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }
    try (TreeLock lock = Dkms.lock(session)) {
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
      int rc = f.subshell(() -> checked(() -> new Lifecycle(f).add()));
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
      Session f = forTeardown(t.module(), t.version(), ka);
      f.request().noDepmod = true;
      int rc = f.subshell(() -> checked(() -> new Lifecycle(f).unbuild()));
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
      leaveNoEmptyDirs(session.kernel(k).dir());
    }
    for (ModuleVersion mv : plan.removals()) {
      if (failedTeardowns.contains(mv)) {
        // Forgetting it now would leave its installed files behind with nothing pointing at them.
        problems.add(mv + ": not removed from the tree, its teardown failed");
        continue;
      }
      Session f = forTeardown(mv.module(), mv.version(), List.of());
      int rc = f.subshell(() -> checked(() -> new Lifecycle(f).remove()));
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
        Session p = session.fork(out);
        p.request().kernels.clear();
        p.request().arches.clear();
        p.request().kernels.add(j.kernel());
        p.request().arches.add(j.arch());
        parents.put(j.kernel(), p);
      }
      Engine.Result r = Engine.run(session, parents, jobs, true);
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
        if (Depmod.run(session.kernel(k)) != 0) {
          problems.add(k + ": depmod failed");
        }
      }
    }
    List<InitramfsPolicy.Decision> initramfs = initramfs(plan, kernels, events, problems);
    boolean failed =
        problems.stream().anyMatch(p -> !p.startsWith("note: "))
            || kernels.stream().anyMatch(KernelOutcome::failed);
    if (changed && !failed) {
      Dkms.postTransaction(session);
    }
    List<String> critical = bootCriticalFailures(kernels);
    int status = failed ? FAILED : 0;
    return new Outcome(plan, kernels, initramfs, weak, critical, problems, changed, status);
  }

  /**
   * {@code M/V K} for every unit that failed (or never ran) whose dkms.conf says REMAKE_INITRD=yes.
   * (Kernels with jobs stay: the planner gives a removed kernel none.)
   */
  private List<String> bootCriticalFailures(List<KernelOutcome> kernels) {
    List<String> out = new ArrayList<>();
    for (KernelOutcome k : kernels) {
      String kernel = k.job().kernel();
      for (UnitOutcome u : k.units()) {
        boolean failed =
            switch (u.result()) {
              case BUILD_FAILED, INSTALL_FAILED, MISSING_DEPENDENCIES, NOT_RUN -> true;
              case INSTALLED, SKIPPED, DEFERRED -> false;
            };
        if (failed
            && !remakeInitrd(u.unit().module(), u.unit().version(), kernel, k.job().arch())
                .isEmpty()) {
          out.add(u.unit() + " " + kernel);
        }
      }
    }
    return out;
  }

  /**
   * The initramfs decision per kernel whose modules changed (see {@link InitramfsPolicy}), and the
   * rebuilds it asks for.
   */
  private List<InitramfsPolicy.Decision> initramfs(
      Plan plan, List<KernelOutcome> kernels, List<Event> events, List<String> problems)
      throws IOException {
    Map<String, Set<String>> changed = new LinkedHashMap<>();
    Map<String, Set<String>> critical = new LinkedHashMap<>();
    Set<String> removedKernels = new LinkedHashSet<>();
    Set<String> builtNext = new LinkedHashSet<>();
    for (Event e : events) {
      if (e instanceof Event.KernelRemoved r) {
        removedKernels.add(r.kernel());
      } else if (e instanceof Event.KernelAdded || e instanceof Event.KernelUpgraded) {
        builtNext.add(e.aboutKernel().orElseThrow());
      }
    }
    for (Teardown t : plan.teardowns()) {
      collect(t.module(), t.version(), t.kernel(), t.arch(), changed, critical);
    }
    for (KernelOutcome k : kernels) {
      for (UnitOutcome u : k.units()) {
        if (u.result() == Result.INSTALLED) {
          collect(
              u.unit().module(),
              u.unit().version(),
              k.job().kernel(),
              k.job().arch(),
              changed,
              critical);
        }
      }
    }
    List<InitramfsPolicy.Decision> out = new ArrayList<>();
    Path root = Path.of("/");
    Map<String, String> env = session.environment().asMap();
    Optional<Generator> generator = Generator.detect(root, env);
    for (Map.Entry<String, Set<String>> e : changed.entrySet()) {
      String k = e.getKey();
      if (removedKernels.contains(k) && !builtNext.contains(k)) {
        continue;
      }
      InitramfsPolicy.Decision d =
          InitramfsPolicy.decide(
              k,
              ImageLocator.find(root, k, env),
              generator,
              e.getValue(),
              critical.getOrDefault(k, Set.of()),
              builtNext.contains(k));
      out.add(d);
      if (d.regenerate()) {
        List<String> cmd = d.generator().orElseThrow().command(k, d.image().orElseThrow());
        int rc =
            new CommandRunner(session.console(), session.verbose())
                .run(
                    new CommandRunner.Invocation(
                        String.join(" ", cmd.stream().map(ShellEvaluator::quote).toList()),
                        "Rebuilding the initramfs of kernel " + k + " (" + d.reason() + ")",
                        null,
                        true,
                        false,
                        null,
                        session.environment()));
        if (rc != 0) {
          problems.add(k + ": initramfs rebuild failed (exit " + rc + ")");
        }
      }
    }
    return out;
  }

  /** The module file names of M/V and whether its dkms.conf says REMAKE_INITRD=yes. */
  private void collect(
      String m,
      String v,
      String k,
      String a,
      Map<String, Set<String>> changed,
      Map<String, Set<String>> critical) {
    Optional<DkmsConf> c = conf(m, v, k, a);
    if (c.isEmpty()) {
      changed.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(m);
      return;
    }
    for (ModuleRecord r : c.get().modules()) {
      changed.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(r.destName());
    }
    critical.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(remakeInitrd(c));
  }

  /** The module file names of M/V when its dkms.conf says REMAKE_INITRD=yes, else none. */
  private List<String> remakeInitrd(String m, String v, String k, String a) {
    return remakeInitrd(conf(m, v, k, a));
  }

  private static List<String> remakeInitrd(Optional<DkmsConf> c) {
    if (c.isEmpty() || !c.get().vars().get("REMAKE_INITRD").matches("(?i)y.*")) {
      return List.of();
    }
    return c.get().modules().stream().map(ModuleRecord::destName).toList();
  }

  /** M/V's dkms.conf for K/A, read quietly (with the /etc/dkms overrides); empty if unreadable. */
  private Optional<DkmsConf> conf(String m, String v, String k, String a) {
    Path conf = session.tree().sourceLink(m, v).resolve("dkms.conf");
    if (!Files.isRegularFile(conf)) {
      conf = session.tree().sourceDir(m, v).resolve("dkms.conf");
    }
    if (!Files.isRegularFile(conf)) {
      return Optional.empty();
    }
    Session quiet = session.fork(Console.silent());
    try {
      return Optional.of(new ConfReader(quiet).read(m, v, k, a, conf));
    } catch (DkmsException e) {
      return Optional.empty();
    }
  }

  private Session forModule(String m, String v, List<String[]> kernelArches) {
    Session f = session.fork(session.console());
    DkmsRequest r = f.request();
    r.module = m;
    r.moduleVersion = v;
    r.kernels.clear();
    r.arches.clear();
    for (String[] ka : kernelArches) {
      r.kernels.add(ka[0]);
      r.arches.add(ka[1]);
    }
    return f;
  }

  /**
   * After the modules of a removed kernel went: our empty directories under {@code updates/}, and
   * when the kernel's own files are gone too (rpm and pacman hooks run after the package's removal)
   * every empty directory up to {@code /lib/modules/K}, so nothing of ours keeps it.
   */
  private static void leaveNoEmptyDirs(Path kernelDir) throws IOException {
    boolean packageGone =
        !Files.exists(kernelDir.resolve("vmlinuz"))
            && !Files.isDirectory(kernelDir.resolve("kernel"));
    FileTrees.deleteEmptyDirs(packageGone ? kernelDir : kernelDir.resolve("updates"));
  }

  /**
   * A session to uninstall, unbuild or remove M/V. When its source is gone (the package was erased
   * before the hook ran), the dkms.conf copy kept by its last build stands in ({@code -c}).
   */
  private Session forTeardown(String m, String v, List<String[]> kernelArches) {
    Session f = forModule(m, v, kernelArches);
    Path copy = session.tree().confCopy(m, v);
    if (session.tree().isBroken(m, v) && Files.isRegularFile(copy)) {
      f.request().conf = copy.toString();
    }
    return f;
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

  /** Per module and kernel what happened, with a failed build's first error and log path. */
  public static String report(Outcome o) {
    StringBuilder b = new StringBuilder();
    for (KernelOutcome k : o.kernels()) {
      for (UnitOutcome u : k.units()) {
        b.append(String.format(Locale.ROOT, "%-32s %-24s ", u.unit(), k.job().kernel()));
        b.append(describe(u));
        b.append('\n');
        u.failure()
            .ifPresent(
                f -> {
                  for (String line : f.excerpt()) {
                    b.append("    | ").append(line).append('\n');
                  }
                  b.append("    log: ").append(f.log()).append('\n');
                });
      }
    }
    for (WeakLinksStep.Result w : o.weakLinks()) {
      String line = w.describe();
      if (!line.isEmpty()) {
        b.append(line).append('\n');
      }
    }
    for (InitramfsPolicy.Decision d : o.initramfs()) {
      b.append("initramfs of ")
          .append(d.kernel())
          .append(d.regenerate() ? ": rebuilt (" : ": left as is (")
          .append(d.reason())
          .append(")\n");
    }
    for (String p : o.problems()) {
      b.append(p).append('\n');
    }
    for (String c : o.bootCriticalFailed()) {
      b.append("boot-critical module failed (REMAKE_INITRD=yes): ")
          .append(c.replace(" ", " on "))
          .append('\n');
    }
    return b.toString();
  }

  private static String describe(UnitOutcome u) {
    String time =
        u.buildMillis() > 0
            ? String.format(Locale.ROOT, ", built in %.1f s", u.buildMillis() / 1000.0)
            : "";
    return switch (u.result()) {
      case INSTALLED -> "installed" + time;
      case SKIPPED -> "skipped (BUILD_EXCLUSIVE: not for this kernel)";
      case BUILD_FAILED -> "build failed (exit " + u.status() + ")" + time;
      case INSTALL_FAILED -> "install failed (exit " + u.status() + ")";
      case MISSING_DEPENDENCIES ->
          "not installed: BUILD_DEPENDS " + String.join(" ", u.waitingFor()) + " not installed";
      case DEFERRED ->
          "deferred: BUILD_DEPENDS " + String.join(" ", u.waitingFor()) + " not registered yet";
      case NOT_RUN -> "not run (the kernel could not be prepared)";
    };
  }

  /** Recipes read as upstream reads dkms.conf; an unreadable one is not built (and says why). */
  private static final class DkmsConfRecipes implements TreeInventory.Recipes {
    private final Session session;

    DkmsConfRecipes(Session session) {
      this.session = session;
    }

    @Override
    public Recipe read(String m, String v, String k, String a) {
      Path conf = session.tree().sourceLink(m, v).resolve("dkms.conf");
      if (!Files.isRegularFile(conf)) {
        conf = session.tree().sourceDir(m, v).resolve("dkms.conf");
      }
      Path file = conf;
      try {
        DkmsConf c = new ConfReader(session).read(m, v, k, a, file);
        return new Recipe(c.autoinstall(), c.buildExcluded(), c.buildDepends());
      } catch (DkmsException e) {
        session.report(e);
        return new Recipe(false, false, List.of());
      }
    }
  }

  /**
   * {@code M/V K} for every module that failed on a kernel (build, install, missing dependencies,
   * or its kernel could not be prepared): what an adapter's exit-status policy looks at. A third
   * word {@code boot-critical} marks a module whose dkms.conf says REMAKE_INITRD=yes (with the
   * /etc/dkms overrides) on a kernel that stays.
   */
  public static List<String> failures(Outcome o) {
    List<String> out = new ArrayList<>();
    for (KernelOutcome k : o.kernels()) {
      for (UnitOutcome u : k.units()) {
        switch (u.result()) {
          case BUILD_FAILED, INSTALL_FAILED, MISSING_DEPENDENCIES, NOT_RUN -> {
            String line = u.unit() + " " + k.job().kernel();
            out.add(o.bootCriticalFailed().contains(line) ? line + " boot-critical" : line);
          }
          default -> {}
        }
      }
    }
    return out;
  }

  /** Whether any unit ended in {@code r} (tests, adapters). */
  public static boolean any(Outcome o, Result r) {
    return o.kernels().stream().flatMap(k -> k.units().stream()).anyMatch(u -> u.result() == r);
  }
}
