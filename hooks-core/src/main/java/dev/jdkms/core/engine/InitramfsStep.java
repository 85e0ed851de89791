package dev.jdkms.core.engine;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.conf.ShellEvaluator;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.initramfs.Generator;
import dev.jdkms.core.initramfs.ImageLocator;
import dev.jdkms.core.initramfs.InitramfsPolicy;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.plan.KernelOutcome;
import dev.jdkms.core.plan.Plan;
import dev.jdkms.core.plan.Plan.Teardown;
import dev.jdkms.core.plan.UnitOutcome;
import dev.jdkms.core.plan.UnitOutcome.Result;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The initramfs part of a {@link Transaction}: which kernels' images to regenerate after the
 * modules changed (decided by {@link InitramfsPolicy}, run once per kernel), and which failed
 * modules are boot-critical ({@code REMAKE_INITRD=yes}) for the adapters' exit policies.
 */
final class InitramfsStep {
  private final Session session;

  InitramfsStep(Session session) {
    this.session = session;
  }

  /**
   * {@code M/V K} for every unit that failed (or never ran) whose dkms.conf says REMAKE_INITRD=yes.
   * (Kernels with jobs stay: the planner gives a removed kernel none.)
   */
  List<String> bootCriticalFailures(List<KernelOutcome> kernels) {
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
  List<InitramfsPolicy.Decision> run(
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
    Path conf = session.tree().sourceConf(m, v);
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
}
