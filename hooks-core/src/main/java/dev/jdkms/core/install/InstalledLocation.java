package dev.jdkms.core.install;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.conf.ModuleRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * upstream's {@code find_actual_dest_module_location}: an installed module may sit at the
 * distribution's location or at the raw DEST_MODULE_LOCATION; it is ours when modinfo says it is
 * the same version as the copy the active tree entry holds.
 */
public final class InstalledLocation {
  private InstalledLocation() {}

  public static List<String> candidates(ModuleRecord m) {
    List<String> l = new ArrayList<>();
    l.add(m.destLocation());
    if (!m.rawDestLocation().equals(m.destLocation())) {
      l.add(m.rawDestLocation());
    }
    return l;
  }

  /** The location (e.g. {@code /updates/dkms}) holding our copy, if any. */
  public static Optional<String> find(
      Path installTree, String kernel, Path activeModuleDir, ModuleRecord m, String suffix)
      throws IOException {
    Optional<Path> owned = FileTrees.moduleFile(activeModuleDir, m.destName(), suffix);
    for (String l : candidates(m)) {
      Optional<Path> installed =
          FileTrees.moduleFile(Path.of(installTree + "/" + kernel + l), m.destName(), suffix);
      if (installed.isEmpty()) {
        continue;
      }
      // compare_module_version with a missing file yields modinfo errors: not "same version".
      if (owned.isPresent()
          && ModInfo.compare(ModInfo.of(owned.get()), ModInfo.of(installed.get()))
              .startsWith("=")) {
        return Optional.of(l);
      }
      if (owned.isEmpty()) {
        ModInfo empty = new ModInfo("", "");
        if (ModInfo.compare(empty, ModInfo.of(installed.get())).startsWith("=")) {
          return Optional.of(l);
        }
      }
    }
    return Optional.empty();
  }
}
