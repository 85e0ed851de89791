package dev.jdkms.core.plan;

import dev.jdkms.core.kernel.VersionOrder;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.ModuleVersion;
import dev.jdkms.core.plan.Plan.Teardown;
import dev.jdkms.core.plan.Plan.TeardownReason;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.tree.PrebuiltManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one transaction's events into one {@link Plan}. Pure: it only reads the {@link Inventory}.
 *
 * <p>The rules, upstream's where upstream has them:
 *
 * <ul>
 *   <li>A kernel that appears (added, headers added, upgraded in place, boot catch-up) gets what
 *       upstream's {@code autoinstall} gives it: for every module the highest registered version
 *       (upstream's {@code VER} order), when it is not installed already and its dkms.conf says
 *       AUTOINSTALL; in status order, after its BUILD_DEPENDS. A kernel without headers gets
 *       nothing (a note says so; its headers event will come).
 *   <li>A kernel upgraded in place first loses its AUTOINSTALL modules (upstream's {@code
 *       kernel_preinst}), so they are rebuilt against the new files.
 *   <li>A removed kernel loses every module built for it ({@code kernel_prerm}).
 *   <li>A new module source is added to the tree and, when it is the highest AUTOINSTALL version,
 *       built and installed on every kernel with headers (what {@code autoinstall_all_kernels} asks
 *       of Debian's common.postinst), together with AUTOINSTALL modules it depends on.
 *   <li>A removed module version goes everywhere; where it was installed, the highest remaining
 *       AUTOINSTALL version is installed instead.
 *   <li>{@code /etc/dkms/no-autoinstall} stops all building and installing; teardowns still happen.
 *   <li>BUILD_EXCLUSIVE units stay in the plan marked excluded (their build reports the skip);
 *       BUILD_DEPENDS cycles are reported, and their members are never waited for.
 *   <li>Where modules are linked across kernels (RHEL, SUSE), every kernel that appears gets its
 *       weak-updates links decided after its builds — a kernel added without headers gets the
 *       compatible modules of other kernels that way — and a removed kernel loses its links.
 *   <li>A module that a prebuilt package provides for a kernel (its manifest, any version) is
 *       neither built nor installed there; a kernel that appears without that module's package,
 *       when jdkms cannot build it (no source, headers or compiler), gets one line naming the
 *       package.
 * </ul>
 */
public final class Planner {
  private final Inventory inv;

  public Planner(Inventory inventory) {
    this.inv = inventory;
  }

  private record Key(String module, String version, String kernel, String arch) {}

  public Plan plan(List<Event> events) throws IOException, DkmsException {
    List<String> notes = new ArrayList<>();
    Set<String> removedKernels = new LinkedHashSet<>();
    Set<String> upgradedKernels = new LinkedHashSet<>();
    Set<String> kernelTargets = new LinkedHashSet<>();
    Set<ModuleVersion> added = new LinkedHashSet<>();
    Set<ModuleVersion> removed = new LinkedHashSet<>();
    Map<String, Set<String>> onlyOn = new LinkedHashMap<>(); // module -> the kernels it chose
    for (Event e : events) {
      if (e instanceof Event.KernelRemoved r) {
        removedKernels.add(r.kernel());
      } else if (e instanceof Event.KernelUpgraded u) {
        upgradedKernels.add(u.kernel());
        kernelTargets.add(u.kernel());
      } else if (e instanceof Event.ModuleAdded a) {
        added.add(new ModuleVersion(a.module(), a.version()));
      } else if (e instanceof Event.ModuleAddedFor a) {
        added.add(new ModuleVersion(a.module(), a.version()));
        onlyOn.computeIfAbsent(a.module(), m -> new LinkedHashSet<>()).addAll(a.kernels());
      } else if (e instanceof Event.ModuleRemoved r) {
        removed.add(new ModuleVersion(r.module(), r.version()));
      } else {
        kernelTargets.add(e.aboutKernel().orElseThrow());
      }
    }
    // A kernel both removed and re-added in one transaction (a reinstall) is an upgrade.
    for (String k : new ArrayList<>(removedKernels)) {
      if (kernelTargets.contains(k)) {
        removedKernels.remove(k);
        upgradedKernels.add(k);
      }
    }
    // A module version both removed and added (its package reinstalled or rebuilt with the same
    // version) keeps its registration and is rebuilt wherever it is needed.
    Set<ModuleVersion> reinstalled = new LinkedHashSet<>(added);
    reinstalled.retainAll(removed);
    added.removeAll(reinstalled);
    removed.removeAll(reinstalled);

    List<Inventory.Registered> registered = new ArrayList<>(inv.registered());
    Set<ModuleVersion> present = new HashSet<>();
    registered.forEach(r -> present.add(new ModuleVersion(r.module(), r.version())));

    // 1. registrations
    List<ModuleVersion> registrations = new ArrayList<>();
    List<ModuleVersion> toRegister = new ArrayList<>(added);
    toRegister.addAll(reinstalled);
    for (ModuleVersion mv : toRegister) {
      if (present.contains(mv)) {
        continue;
      }
      if (inv.hasSource(mv.module(), mv.version())) {
        registrations.add(mv);
        registered.add(new Inventory.Registered(mv.module(), mv.version(), false));
      } else {
        notes.add(mv + ": no source with a dkms.conf, not added");
      }
    }

    // 2. teardowns
    List<Teardown> teardowns = new ArrayList<>();
    Set<Key> gone = new HashSet<>();
    for (Inventory.Registered r : registered) {
      ModuleVersion mv = new ModuleVersion(r.module(), r.version());
      // A broken version (its source gone) is only touched when it is being removed: its
      // package was erased before the hook ran.
      if (r.broken() && !removed.contains(mv)) {
        continue;
      }
      for (String[] ka : inv.builtFor(r.module(), r.version())) {
        TeardownReason why = null;
        // A kernel going away wins: nothing is to be indexed or kept for it.
        if (removedKernels.contains(ka[0])) {
          why = TeardownReason.KERNEL_REMOVED;
        } else if (removed.contains(mv)) {
          why = TeardownReason.MODULE_REMOVED;
        } else if (reinstalled.contains(mv)) {
          why = TeardownReason.MODULE_REINSTALLED;
        } else if (upgradedKernels.contains(ka[0])
            && inv.recipe(r.module(), r.version(), ka[0], ka[1]).autoinstall()) {
          why = TeardownReason.KERNEL_UPGRADED;
        }
        if (why != null) {
          teardowns.add(new Teardown(r.module(), r.version(), ka[0], ka[1], why));
          gone.add(new Key(r.module(), r.version(), ka[0], ka[1]));
        }
      }
    }
    List<ModuleVersion> removals = new ArrayList<>();
    for (ModuleVersion mv : removed) {
      if (present.contains(mv)) {
        removals.add(mv);
      } else {
        notes.add(mv + ": not in the tree, nothing to remove");
      }
    }
    registered.removeIf(r -> removed.contains(new ModuleVersion(r.module(), r.version())));

    // 3. which kernels get which modules
    Map<String, Set<String>> filter = new LinkedHashMap<>(); // kernel -> modules (null = all)
    for (String k : kernelTargets) {
      filter.put(k, null);
    }
    Set<String> moduleEvents = new LinkedHashSet<>();
    added.forEach(mv -> moduleEvents.add(mv.module()));
    reinstalled.forEach(mv -> moduleEvents.add(mv.module()));
    removed.forEach(mv -> moduleEvents.add(mv.module()));
    if (!moduleEvents.isEmpty()) {
      for (String k : inv.kernels()) {
        Set<String> here = new LinkedHashSet<>(moduleEvents);
        here.removeIf(m -> onlyOn.containsKey(m) && !onlyOn.get(m).contains(k));
        if (removedKernels.contains(k) || !inv.hasHeaders(k) || here.isEmpty()) {
          continue;
        }
        if (!filter.containsKey(k)) {
          filter.put(k, here);
        } else if (filter.get(k) != null) {
          filter.get(k).addAll(here);
        }
      }
    }
    List<KernelJob> jobs = new ArrayList<>();
    if (inv.autoinstallDisabled()) {
      if (!filter.isEmpty()) {
        notes.add("automatic installation of modules is disabled (/etc/dkms/no-autoinstall)");
      }
      filter.clear();
    }
    List<String> kernels = new ArrayList<>(filter.keySet());
    kernels.sort(VersionOrder.COMPARATOR);
    for (String k : kernels) {
      if (kernelTargets.contains(k)) {
        notes.addAll(MissingPrebuilt.lines(inv, k, registered));
      }
      if (!inv.hasHeaders(k)) {
        notes.add(k + ": no kernel headers, nothing built (the headers' own event will do it)");
        continue;
      }
      jobs.add(job(k, inv.arch(k), registered, filter.get(k), gone, notes));
    }
    Set<String> linking = inv.autoinstallDisabled() ? Set.of() : kernelTargets;
    return new Plan(
        registrations, teardowns, removals, jobs, weakLinks(linking, removedKernels), notes);
  }

  /** {@link MissingPrebuilt#lines} for a kernel that appears, as the tree is now. */
  public List<String> missingPrebuilt(String kernel) throws IOException {
    return MissingPrebuilt.lines(inv, kernel, inv.registered());
  }

  /** The kernels whose weak-updates links this transaction decides, in version order. */
  private List<Plan.WeakLinks> weakLinks(Set<String> appearing, Set<String> removedKernels) {
    List<Plan.WeakLinks> out = new ArrayList<>();
    if (!inv.linksWeakUpdates()) {
      return out;
    }
    List<String> ks = new ArrayList<>(appearing);
    ks.addAll(removedKernels);
    ks.sort(VersionOrder.COMPARATOR);
    for (String k : ks) {
      out.add(new Plan.WeakLinks(k, removedKernels.contains(k)));
    }
    return out;
  }

  /** upstream's autoinstall for one kernel, restricted to {@code only} (null: every module). */
  private KernelJob job(
      String k,
      String a,
      List<Inventory.Registered> registered,
      Set<String> only,
      Set<Key> gone,
      List<String> notes)
      throws DkmsException {
    Map<String, String> latest = Inventory.newestVersions(registered);
    Set<String> installed = new LinkedHashSet<>();
    Map<String, Unit> candidates = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : latest.entrySet()) {
      String m = e.getKey();
      String v = e.getValue();
      if (inv.isActive(m, v, k, a) && !gone.contains(new Key(m, v, k, a))) {
        installed.add(m);
        continue;
      }
      Optional<PrebuiltManifest> pre = inv.prebuilt().find(m, k);
      if (pre.isPresent()) {
        // the package's files are where an install would write: a package owns them
        installed.add(m);
        if (only == null || only.contains(m)) {
          notes.add(pre.get().notBuilt(v));
        }
        continue;
      }
      Recipe r = inv.recipe(m, v, k, a);
      if (!r.autoinstall()) {
        if (only != null && only.contains(m)) {
          notes.add(m + "/" + v + ": AUTOINSTALL is not set, not built for " + k);
        }
        continue;
      }
      boolean built = inv.isBuilt(m, v, k, a) && !gone.contains(new Key(m, v, k, a));
      if (!built && !inv.canCompile() && !inv.prebuilt().ofModule(m).isEmpty()) {
        continue; // missingPrebuilt said why
      }
      candidates.put(m, new Unit(m, v, r.buildDepends(), built, r.excluded()));
    }
    Set<String> wanted;
    if (only == null) {
      wanted = candidates.keySet();
    } else {
      // The modules asked for, and the AUTOINSTALL modules they need on this kernel.
      wanted = new LinkedHashSet<>();
      List<String> todo = new ArrayList<>(only);
      while (!todo.isEmpty()) {
        String m = todo.remove(0);
        Unit u = candidates.get(m);
        if (u != null && wanted.add(m)) {
          todo.addAll(u.depends());
        }
      }
    }
    List<Unit> units = new ArrayList<>();
    Map<String, List<String>> graph = new LinkedHashMap<>();
    for (Unit u : candidates.values()) {
      if (wanted.contains(u.module())) {
        units.add(u);
        graph.put(u.module(), u.depends());
      }
    }
    return new KernelJob(k, a, units, installed, latest.keySet(), DependencyOrder.cycles(graph));
  }
}
