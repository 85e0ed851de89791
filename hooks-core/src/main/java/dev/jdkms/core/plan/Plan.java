package dev.jdkms.core.plan;

import java.util.List;
import java.util.Set;

/**
 * What one transaction will do, in the order it is done: register new sources, tear down what goes
 * away (per module, version, kernel and arch), remove whole versions from the tree, then per kernel
 * build and install (the {@link KernelJob}s, run in parallel by the {@link BuildScheduler}), then
 * decide the weak-updates links of the kernels concerned (RHEL, SUSE). Notes explain what was
 * decided not to do and why.
 */
public record Plan(
    List<ModuleVersion> registrations,
    List<Teardown> teardowns,
    List<ModuleVersion> removals,
    List<KernelJob> jobs,
    List<WeakLinks> weakLinks,
    List<String> notes) {

  public Plan {
    registrations = List.copyOf(registrations);
    teardowns = List.copyOf(teardowns);
    removals = List.copyOf(removals);
    jobs = List.copyOf(jobs);
    weakLinks = List.copyOf(weakLinks);
    notes = List.copyOf(notes);
  }

  /** A plan without weak-updates steps (systems that do not link across kernels). */
  public Plan(
      List<ModuleVersion> registrations,
      List<Teardown> teardowns,
      List<ModuleVersion> removals,
      List<KernelJob> jobs,
      List<String> notes) {
    this(registrations, teardowns, removals, jobs, List.of(), notes);
  }

  /**
   * After the builds, the weak-updates links of a kernel are decided again by the kABI engine:
   * modules installed for other kernels are linked into it when compatible, links that no longer
   * hold are removed; with {@code kernelRemoved}, every link jdkms made for it goes.
   */
  public record WeakLinks(String kernel, boolean kernelRemoved) {}

  /** A module version ({@code M/V}). */
  public record ModuleVersion(String module, String version) {
    @Override
    public String toString() {
      return module + "/" + version;
    }
  }

  /** Why a built module goes away for a kernel. */
  public enum TeardownReason {
    /** The kernel is being removed (upstream's kernel_prerm). */
    KERNEL_REMOVED,
    /** The kernel is reinstalled with the same release: rebuild (upstream's kernel_preinst). */
    KERNEL_UPGRADED,
    /** The module version is being removed. */
    MODULE_REMOVED,
    /** The module version's source was replaced in place (same version): rebuild. */
    MODULE_REINSTALLED
  }

  /** Uninstall (when installed) and unbuild one module version for one kernel. */
  public record Teardown(
      String module, String version, String kernel, String arch, TeardownReason reason) {}

  /** One module version to build (unless built) and install on a kernel. */
  public record Unit(
      String module, String version, List<String> depends, boolean built, boolean excluded) {
    public Unit {
      depends = List.copyOf(depends);
    }

    @Override
    public String toString() {
      return module + "/" + version;
    }
  }

  /**
   * The work for one kernel, as upstream's autoinstall orders it: units in status order, each
   * installed once every module it depends on is installed (or skipped) on this kernel.
   *
   * @param installed modules already installed on the kernel (they satisfy dependencies)
   * @param known every registered module name (a missing dependency that is known is a failure; an
   *     unknown one is deferred: its package may not be configured yet)
   * @param cycles BUILD_DEPENDS cycles among the units (their members can never be installed)
   */
  public record KernelJob(
      String kernel,
      String arch,
      List<Unit> units,
      Set<String> installed,
      Set<String> known,
      List<List<String>> cycles) {
    public KernelJob {
      units = List.copyOf(units);
      installed = Set.copyOf(installed);
      known = Set.copyOf(known);
      cycles = List.copyOf(cycles);
    }
  }

  /** True when the plan changes nothing. */
  public boolean isEmpty() {
    return registrations.isEmpty()
        && teardowns.isEmpty()
        && removals.isEmpty()
        && weakLinks.isEmpty()
        && jobs.stream().allMatch(j -> j.units().isEmpty());
  }

  /** Kernels whose module tree this plan changes (they need depmod afterwards). */
  public Set<String> touchedKernels() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    teardowns.forEach(t -> out.add(t.kernel()));
    jobs.stream().filter(j -> !j.units().isEmpty()).forEach(j -> out.add(j.kernel()));
    return out;
  }

  /** A readable description, one step per line. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    registrations.forEach(r -> b.append("add ").append(r).append('\n'));
    teardowns.forEach(
        t ->
            b.append("teardown ")
                .append(t.module())
                .append('/')
                .append(t.version())
                .append(' ')
                .append(t.kernel())
                .append('/')
                .append(t.arch())
                .append(" (")
                .append(t.reason().name().toLowerCase(java.util.Locale.ROOT))
                .append(")\n"));
    removals.forEach(r -> b.append("remove ").append(r).append('\n'));
    for (KernelJob j : jobs) {
      for (Unit u : j.units()) {
        b.append(u.built() ? "install " : "build+install ")
            .append(u)
            .append(' ')
            .append(j.kernel())
            .append('/')
            .append(j.arch());
        if (u.excluded()) {
          b.append(" (BUILD_EXCLUSIVE: skip)");
        }
        if (!u.depends().isEmpty()) {
          b.append(" after ").append(String.join(",", u.depends()));
        }
        b.append('\n');
      }
      for (List<String> c : j.cycles()) {
        b.append("cycle on ")
            .append(j.kernel())
            .append(": ")
            .append(String.join(" -> ", c))
            .append('\n');
      }
    }
    for (WeakLinks w : weakLinks) {
      b.append("weak-updates ")
          .append(w.kernel())
          .append(
              w.kernelRemoved()
                  ? " (remove the links: kernel removed)\n"
                  : " (link compatible modules of other kernels)\n");
    }
    notes.forEach(n -> b.append("note: ").append(n).append('\n'));
    return b.toString();
  }
}
