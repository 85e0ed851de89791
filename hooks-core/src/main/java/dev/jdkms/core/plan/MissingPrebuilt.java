package dev.jdkms.core.plan;

import dev.jdkms.core.tree.PrebuiltModules;
import dev.jdkms.core.tree.PrebuiltModules.Lack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For a kernel that appears: a line per module that prebuilt packages provide for other kernels but
 * not for this one, when jdkms cannot build it either (no source in the tree, no headers, no make
 * and compiler); where it can, the module is built as any DKMS module and nothing is said.
 */
final class MissingPrebuilt {
  private MissingPrebuilt() {}

  static List<String> lines(Inventory inv, String kernel, List<Inventory.Registered> registered) {
    Map<String, String> latest = Inventory.newestVersions(registered);
    PrebuiltModules pre = inv.prebuilt();
    List<String> out = new ArrayList<>();
    for (String m : pre.modules()) {
      Lack lack = null;
      if (!latest.containsKey(m)) {
        lack = Lack.SOURCE;
      } else if (!inv.hasHeaders(kernel)) {
        lack = Lack.HEADERS;
      } else if (!inv.canCompile() && !inv.isBuilt(m, latest.get(m), kernel, inv.arch(kernel))) {
        lack = Lack.COMPILER;
      }
      if (lack != null) {
        pre.missing(m, kernel, lack).ifPresent(out::add);
      }
    }
    return out;
  }
}
