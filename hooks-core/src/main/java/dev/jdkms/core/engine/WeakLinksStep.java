package dev.jdkms.core.engine;

import dev.jdkms.core.kabi.DkmsBuilds;
import dev.jdkms.core.kabi.Finding;
import dev.jdkms.core.kabi.KernelAbi;
import dev.jdkms.core.kabi.KernelAbiLoader;
import dev.jdkms.core.kabi.ModuleFormatException;
import dev.jdkms.core.kabi.Verdict;
import dev.jdkms.core.kabi.WeakUpdates;
import dev.jdkms.core.plan.Plan.WeakLinks;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The weak-updates step of a transaction (RHEL, SUSE): after the builds, a kernel that appeared
 * gets the modules installed for other kernels linked into its {@code weak-updates/} where the kABI
 * verdict of their whole group is compatible (NO_WEAK_MODULES=yes excluded, never on a kernel
 * without MODVERSIONS), and links whose verdict no longer holds go; a removed kernel loses every
 * link jdkms made. What {@code weak-modules --add-kernel}/{@code --remove-kernel} do in RHEL's
 * kernel scriptlets, decided by the kernel's own loading rules.
 */
final class WeakLinksStep {
  /**
   * What the step did for one kernel.
   *
   * @param linked {@code M/V (from A)} for every link that exists now
   * @param notLinked {@code module (built for A): why} for every group that was not linked
   * @param removed links removed
   * @param note why nothing was considered at all ("" otherwise)
   * @param changed links were made or removed (depmod is due)
   */
  record Result(
      String kernel,
      boolean kernelRemoved,
      List<String> linked,
      List<String> notLinked,
      int removed,
      String note,
      boolean changed) {

    /** One summary line, or "" when there is nothing worth saying. */
    String describe() {
      List<String> parts = new ArrayList<>();
      if (!linked.isEmpty()) {
        parts.add("linked " + String.join(", ", linked));
      }
      notLinked.forEach(n -> parts.add("not linked: " + n));
      if (removed > 0) {
        parts.add("removed " + removed + " link(s)" + (kernelRemoved ? " (kernel removed)" : ""));
      }
      if (!note.isEmpty()) {
        parts.add(note);
      }
      return parts.isEmpty() ? "" : "weak-updates of " + kernel + ": " + String.join("; ", parts);
    }
  }

  private final Session session;

  WeakLinksStep(Session session) {
    this.session = session;
  }

  /** Decides and applies the links of one kernel; a failure is reported in the result's note. */
  Result run(WeakLinks step, String arch) {
    String k = step.kernel();
    Path installTree = session.installTree();
    Path dkmsTree = session.tree().root();
    WeakUpdates weak = new WeakUpdates(installTree, dkmsTree);
    try {
      if (step.kernelRemoved()) {
        WeakUpdates.Plan plan = weak.unlinkAll(k);
        boolean changed = WeakUpdates.apply(plan);
        deleteIfEmpty(installTree.resolve(k).resolve("weak-updates"));
        return new Result(k, true, List.of(), List.of(), plan.remove().size(), "", changed);
      }
      if (!Files.isDirectory(installTree.resolve(k))) {
        return new Result(k, false, List.of(), List.of(), 0, "", false);
      }
      Path root =
          installTree.endsWith(Path.of("lib/modules"))
              ? installTree.getParent().getParent()
              : Path.of("/");
      KernelAbi abi = new KernelAbiLoader(root, DkmsBuilds.builtFor(dkmsTree, k)).load(k);
      WeakUpdates.Plan plan = weak.plan(abi, arch, WeakUpdates.noWeakModulesFromConf(dkmsTree));
      boolean changed = WeakUpdates.apply(plan);
      List<String> linked = new ArrayList<>();
      for (WeakUpdates.Link l : plan.add()) {
        String s = l.module() + "/" + l.version() + " (from " + l.builtFor() + ")";
        if (!linked.contains(s)) {
          linked.add(s);
        }
      }
      List<String> notLinked = new ArrayList<>();
      for (Verdict v : plan.verdicts()) {
        if (!v.compatible()) {
          notLinked.add(
              v.module()
                  + " (built for "
                  + (v.builtFor().isEmpty() ? "an unknown kernel" : v.builtFor())
                  + "): "
                  + v.status().name().toLowerCase(Locale.ROOT)
                  + ", "
                  + reason(v));
        }
      }
      return new Result(k, false, linked, notLinked, plan.remove().size(), plan.note(), changed);
    } catch (IOException | ModuleFormatException | RuntimeException e) {
      return new Result(
          k,
          step.kernelRemoved(),
          List.of(),
          List.of(),
          0,
          "not decided: " + e.getMessage(),
          false);
    }
  }

  /** The first rule that failed (or could not be checked), as the kABI engine words it. */
  private static String reason(Verdict v) {
    List<Finding> why = v.failures().isEmpty() ? v.unknowns() : v.failures();
    if (why.isEmpty()) {
      return "its group is not compatible";
    }
    Finding f = why.get(0);
    return "rule " + f.rule().number() + " " + f.rule().id() + ": " + f.summary();
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      if (s.iterator().hasNext()) {
        return;
      }
    }
    Files.delete(dir);
  }
}
