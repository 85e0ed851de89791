package dev.jdkms.core.engine;

import dev.jdkms.core.actions.StatusReport;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.kernel.VersionOrder;
import dev.jdkms.core.plan.DependencyOrder;
import dev.jdkms.core.plan.KernelOutcome;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.plan.UnitOutcome;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import dev.jdkms.core.tree.PrebuiltManifest;
import dev.jdkms.core.tree.PrebuiltModules;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code dkms autoinstall} (and {@code kernel_postinst}): install the newest version of every
 * AUTOINSTALL module for one kernel, in BUILD_DEPENDS order, and report which succeeded, were
 * skipped (BUILD_EXCLUSIVE, status 77), failed, or wait for dependencies.
 */
public final class Autoinstall {
  private final Session session;

  public Autoinstall(Session session) {
    this.session = session;
  }

  /** The outcome: the exit status and whether this run installed anything new. */
  public record Outcome(int status, boolean installedSomething) {}

  /**
   * upstream's load_tarball calls its {@code autoinstall} function after {@code rpm -Uvh} of an
   * .rpm: the first kernel of the command line, no further checks, no post_transaction.
   */
  public static int afterRpm(Session s) throws DkmsException, IOException {
    return new Autoinstall(s).run().status();
  }

  public Outcome run() throws DkmsException, IOException {
    Console out = session.console();
    if (Files.isRegularFile(session.host().noAutoinstall())) {
      out.println("Automatic installation of modules has been disabled.");
      return new Outcome(0, false);
    }
    DkmsRequest r = session.request();
    String k = r.kernels.get(0);
    String a = r.arches.get(0);
    DkmsTree tree = session.tree();
    Map<String, String> latest = new LinkedHashMap<>();
    for (dev.jdkms.core.tree.ModuleStatus.Entry e :
        new StatusReport(session).entries("", "", "", "")) {
      if (e.state().equals("broken")) {
        out.error(
            e.module()
                + "/"
                + e.version()
                + " is broken! Missing the source directory or the symbolic link pointing to it.",
            "Manual intervention is required!");
        continue;
      }
      String cur = latest.get(e.module());
      if (cur == null || VersionOrder.greater(e.version(), cur)) {
        latest.put(e.module(), e.version());
      }
    }
    List<String> installed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String[]> toInstall = new ArrayList<>();
    Map<String, List<String>> depends = new LinkedHashMap<>();
    ConfReader confs = new ConfReader(session);
    PrebuiltModules prebuilt = session.prebuilt();
    Set<String> present = new LinkedHashSet<>();
    for (Map.Entry<String, String> mv : latest.entrySet()) {
      String m = mv.getKey();
      String v = mv.getValue();
      if (tree.isActive(m, v, k, a)) {
        installed.add(m);
        continue;
      }
      Optional<PrebuiltManifest> pre = prebuilt.find(m, k);
      if (pre.isPresent()) {
        // a package owns the files an install would write
        out.println(pre.get().notBuilt(v));
        present.add(m);
        continue;
      }
      DkmsConf conf = confs.read(m, v, k, a, tree.sourceLink(m, v).resolve("dkms.conf"));
      if (!conf.autoinstall()) {
        continue;
      }
      toInstall.add(new String[] {m, v});
      depends.put(m, new ArrayList<>(conf.buildDepends()));
    }
    if (toInstall.isEmpty()) {
      return new Outcome(0, false);
    }
    List<Unit> units = new ArrayList<>();
    Map<String, List<String>> graph = new LinkedHashMap<>();
    for (String[] mv : toInstall) {
      units.add(
          new Unit(mv[0], mv[1], depends.get(mv[0]), tree.isBuilt(mv[0], mv[1], k, a), false));
      graph.put(mv[0], depends.get(mv[0]));
    }
    present.addAll(installed);
    KernelJob job =
        new KernelJob(k, a, units, present, latest.keySet(), DependencyOrder.cycles(graph));
    JobRunner.Result result =
        JobRunner.run(session, Map.of(k, session), List.of(job), true, session.terminal());
    KernelOutcome outcome = result.kernels().get(0);
    if (outcome.preparationFailure().isPresent()) {
      throw outcome.preparationFailure().get();
    }
    boolean newlyInstalled = false;
    List<UnitOutcome> waiting = new ArrayList<>();
    for (UnitOutcome u : outcome.units()) {
      String m = u.unit().module();
      switch (u.result()) {
        case INSTALLED -> {
          installed.add(m);
          newlyInstalled = true;
        }
        case SKIPPED -> skipped.add(m);
        case BUILD_FAILED, INSTALL_FAILED -> failed.add(m + "(" + u.status() + ")");
        default -> waiting.add(u);
      }
    }
    if (!installed.isEmpty()) {
      out.println(
          "Autoinstall on " + k + " succeeded for module(s) " + String.join(" ", installed) + ".");
    }
    if (!skipped.isEmpty()) {
      out.println(
          "Autoinstall on " + k + " was skipped for module(s) " + String.join(" ", skipped) + ".");
    }
    if (!failed.isEmpty()) {
      out.println(
          "Autoinstall on " + k + " failed for module(s) " + String.join(" ", failed) + ".");
    }
    List<String> unresolved = new ArrayList<>();
    List<String> deferred = new ArrayList<>();
    for (UnitOutcome u : waiting) {
      StringBuilder real = new StringBuilder();
      StringBuilder later = new StringBuilder();
      for (String d : u.waitingFor()) {
        (latest.containsKey(d) ? real : later).append(' ').append(d);
      }
      String name = u.unit().module() + "/" + u.unit().version();
      if (real.length() > 0) {
        out.println(name + " autoinstall failed due to missing dependencies:" + real + ".");
        unresolved.add(name);
      } else {
        out.println(
            name + " autoinstall deferred: BUILD_DEPENDS not registered with DKMS:" + later + ".");
        deferred.add(name);
      }
    }
    if (!deferred.isEmpty()) {
      out.println(
          "Autoinstall on "
              + k
              + " deferred module(s) "
              + String.join(" ", deferred)
              + " due to BUILD_DEPENDS not yet registered with DKMS.");
      out.println(
          "These may be provided externally or by a package not yet configured; autoinstall will"
              + " retry on the next trigger.");
    }
    for (String dk : result.depmodFailed()) {
      out.error(
          "jdkms: depmod failed for kernel " + dk + "; the modules stay installed.",
          "Run depmod -a " + dk + " again once the problem is fixed.");
      failed.add("depmod(" + dk + ")");
    }
    if (!failed.isEmpty() || !unresolved.isEmpty()) {
      throw DkmsException.die(
          ExitCode.AUTOINSTALL_FAILED,
          "One or more modules failed to install during autoinstall.",
          "Refer to previous errors for more information.");
    }
    return new Outcome(0, newlyInstalled);
  }
}
