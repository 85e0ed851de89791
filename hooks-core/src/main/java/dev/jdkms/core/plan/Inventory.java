package dev.jdkms.core.plan;

import dev.jdkms.core.kernel.VersionOrder;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.tree.PrebuiltModules;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the planner reads about the machine: the registered module versions (in {@code dkms status}
 * order), their built and installed states, their recipes, and the kernels. {@link TreeInventory}
 * reads a real DKMS tree; tests may supply their own.
 */
public interface Inventory {
  /** One registered module version; broken ones have lost their source. */
  record Registered(String module, String version, boolean broken) {}

  /**
   * The highest version of each module that is not broken (upstream's autoinstall choice), in the
   * order the modules are registered.
   */
  static Map<String, String> newestVersions(List<Registered> registered) {
    Map<String, String> newest = new LinkedHashMap<>();
    for (Registered r : registered) {
      String cur = newest.get(r.module());
      if (!r.broken() && (cur == null || VersionOrder.greater(r.version(), cur))) {
        newest.put(r.module(), r.version());
      }
    }
    return newest;
  }

  /** Every module version in the tree, in upstream's status order. */
  List<Registered> registered() throws IOException;

  boolean isBuilt(String module, String version, String kernel, String arch);

  /** {@code M/kernel-K-A} points at this version (upstream's "installed"). */
  boolean isActive(String module, String version, String kernel, String arch);

  /** The kernel/arch pairs this version is built for ({@code [kernel, arch]}). */
  List<String[]> builtFor(String module, String version) throws IOException;

  /** The recipe of a module version for a kernel; may fail (an invalid dkms.conf). */
  Recipe recipe(String module, String version, String kernel, String arch) throws DkmsException;

  /** Kernels installed on the machine ({@code /lib/modules/K} exists), oldest first. */
  List<String> kernels() throws IOException;

  /** {@code /lib/modules/K/build/include} exists. */
  boolean hasHeaders(String kernel);

  /** The architecture modules are built for on this kernel. */
  String arch(String kernel);

  /** {@code /etc/dkms/no-autoinstall} exists. */
  boolean autoinstallDisabled();

  /** {@code /usr/src/M-V/dkms.conf} exists, so the version can be added. */
  boolean hasSource(String module, String version);

  /**
   * Modules installed for one kernel are linked into other kernels' weak-updates (RHEL, SUSE; see
   * {@code Distribution.linksWeakUpdates}).
   */
  default boolean linksWeakUpdates() {
    return false;
  }

  /** The prebuilt module packages installed: what is neither built nor installed here. */
  default PrebuiltModules prebuilt() {
    return PrebuiltModules.NONE;
  }

  /** {@code make} and a C compiler are on PATH (a build can start at all). */
  default boolean canCompile() {
    return true;
  }
}
