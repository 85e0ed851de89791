package dev.jdkms.core.install;

import dev.jdkms.core.kabi.DkmsBuilds;
import dev.jdkms.core.kabi.KernelAbi;
import dev.jdkms.core.kabi.KernelAbiLoader;
import dev.jdkms.core.kabi.ModuleFormatException;
import dev.jdkms.core.kabi.WeakUpdates;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiPredicate;

/**
 * Where upstream calls RHEL's {@code weak-modules --add-modules/--remove-modules} (or SUSE's {@code
 * weak-modules2}) after an install or uninstall, jdkms re-decides the weak-updates links of every
 * other installed kernel with the kABI engine: compatible groups are linked, links whose verdict no
 * longer holds (or whose module is gone) are removed, and depmod runs for a kernel only when its
 * links changed. Silent, like weak-modules; a failure is one warning, never an error of the install
 * itself. Nothing happens on other distributions ({@link
 * dev.jdkms.core.kernel.Distribution#linksWeakUpdates}) or with NO_WEAK_MODULES=yes.
 */
final class WeakModulesRefresh {
  private WeakModulesRefresh() {}

  static void afterChange(
      Session session, String kernel, String arch, String module, boolean noWeak) {
    if (!session.distribution().linksWeakUpdates() || noWeak) {
      return;
    }
    Path installTree = session.installTree();
    Path dkmsTree = session.tree().root();
    BiPredicate<String, String> fromConf = WeakUpdates.noWeakModulesFromConf(dkmsTree);
    Path root =
        installTree.endsWith(Path.of("lib/modules"))
            ? installTree.getParent().getParent()
            : Path.of("/");
    try (DirectoryStream<Path> kernels = Files.newDirectoryStream(installTree)) {
      for (Path k : kernels) {
        String b = k.getFileName().toString();
        if (b.equals(kernel)
            || !(Files.isRegularFile(k.resolve("modules.dep"))
                || Files.isRegularFile(k.resolve("modules.builtin")))) {
          continue; // only other kernels that are really installed
        }
        KernelAbi abi = new KernelAbiLoader(root, DkmsBuilds.builtFor(dkmsTree, b)).load(b);
        WeakUpdates.Plan plan = new WeakUpdates(installTree, dkmsTree).plan(abi, arch, fromConf);
        if (WeakUpdates.apply(plan)) {
          Depmod.run(session.kernel(b), session.host());
        }
      }
    } catch (IOException | ModuleFormatException | RuntimeException e) {
      session
          .console()
          .warn(
              "weak-updates of other kernels not updated after " + module + ": " + e.getMessage());
    }
  }
}
