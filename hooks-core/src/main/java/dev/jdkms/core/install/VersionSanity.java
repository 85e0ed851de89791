package dev.jdkms.core.install;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.kernel.KernelTree;
import dev.jdkms.core.kernel.VersionOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * upstream's {@code check_version_sanity}: refuse to install over an in-kernel module that is newer
 * or identical, and honour the deprecated OBSOLETE_BY. Returns false when the module is skipped.
 */
final class VersionSanity {
  private VersionSanity() {}

  static boolean check(
      Console out,
      KernelTree kernel,
      String obsoleteBy,
      String destName,
      Path builtModuleDir,
      String suffix,
      boolean force,
      boolean forceVersionOverride)
      throws IOException {
    String k = kernel.release();
    if (!obsoleteBy.isEmpty() && !force && obsoleted(k, obsoleteBy)) {
      out.errln("");
      out.errln("Module has been obsoleted due to being included in kernel " + obsoleteBy + ".");
      out.errln("We will avoid installing for future kernels above " + obsoleteBy + ".");
      out.errln("You may override by specifying --force.");
      return false;
    }
    List<Path> inKernel = kernel.findModule(destName, suffix);
    if (inKernel.isEmpty() || forceVersionOverride) {
      return true;
    }
    String shownName = destName + ".ko" + suffix;
    if (inKernel.size() > 1) {
      out.warn(
          "Cannot do version sanity checking because multiple "
              + shownName
              + " modules were found in kernel "
              + k
              + ".");
      return true;
    }
    Path theirs = inKernel.get(0);
    Path ours =
        FileTrees.moduleFile(builtModuleDir, destName, suffix)
            .orElse(builtModuleDir.resolve(destName + ".ko"));
    ModInfo t = ModInfo.of(theirs);
    ModInfo o = ModInfo.of(ours);
    String cmp = ModInfo.compare(t, o);
    if (cmp.equals(">") && !force) {
      out.error(
          "Module version " + o.version() + " for " + shownName,
          "is not newer than what is already found in kernel " + k + " (" + t.version() + ").",
          "You may override by specifying --force.");
      return false;
    }
    if (cmp.equals("==") && !force) {
      boolean hasInfo = !(o.version() + o.srcversion()).isBlank();
      if (hasInfo || Files.mismatch(theirs, ours) == -1) {
        if (!o.version().isEmpty()) {
          out.errln(
              "Module "
                  + theirs
                  + " already installed at version "
                  + o.version()
                  + ", override by specifying --force");
        } else {
          out.errln(
              "Module "
                  + theirs
                  + " already installed (unversioned module), override by specifying --force");
        }
        return false;
      }
    }
    return true;
  }

  /**
   * upstream splits both versions at '-' into a quoted one-element array, so the whole strings
   * (dashes as spaces, which VER drops) are compared: obsolete from that version on.
   */
  private static boolean obsoleted(String kernel, String obsoleteBy) {
    return !VersionOrder.less(kernel.replace('-', ' '), obsoleteBy.replace('-', ' '));
  }
}
