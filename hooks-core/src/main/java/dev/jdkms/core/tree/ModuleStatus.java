package dev.jdkms.core.tree;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * upstream's internal {@code module_status}: for each module/version in the tree, "broken", "added"
 * (built for no matching kernel), or one "built"/"installed" entry per kernel and arch.
 */
public final class ModuleStatus {
  /** One entry; kernel and arch are empty for broken and added. */
  public record Entry(String state, String module, String version, String kernel, String arch) {}

  private ModuleStatus() {}

  /** Entries matching the filters (empty filter = any), in upstream's order. */
  public static List<Entry> entries(
      DkmsTree tree, String module, String version, String kernel, String arch) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (String[] mv : tree.moduleVersions(module, version)) {
      String m = mv[0];
      String v = mv[1];
      if (tree.isBroken(m, v)) {
        out.add(new Entry("broken", m, v, "", ""));
        continue;
      }
      if (!tree.isAdded(m, v)) {
        continue;
      }
      List<String[]> built = tree.builtKernels(m, v, kernel, arch);
      if (built.isEmpty()) {
        out.add(new Entry("added", m, v, "", ""));
      }
      for (String[] ka : built) {
        String state = tree.isActive(m, v, ka[0], ka[1]) ? "installed" : "built";
        out.add(new Entry(state, m, v, ka[0], ka[1]));
      }
    }
    return out;
  }

  /**
   * The highest registered version of {@code module} in any state for the kernel, as upstream's
   * BUILD_DEPENDS_REBUILD bookkeeping finds it.
   */
  public static java.util.Optional<String> highestVersion(
      DkmsTree tree, String module, String kernel, String arch) throws IOException {
    String best = null;
    for (Entry e : entries(tree, module, "", kernel, arch)) {
      if (best == null || dev.jdkms.core.kernel.VersionOrder.greater(e.version(), best)) {
        best = e.version();
      }
    }
    return java.util.Optional.ofNullable(best);
  }
}
