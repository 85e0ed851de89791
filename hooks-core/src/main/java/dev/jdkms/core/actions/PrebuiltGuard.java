package dev.jdkms.core.actions;

import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.PrebuiltManifest;
import java.util.Optional;

/** What the drop-in refuses to do to a module a prebuilt package provides for a kernel. */
final class PrebuiltGuard {
  private PrebuiltGuard() {}

  /**
   * jdkms: a prebuilt package provides M for K (any version): installing would overwrite files the
   * package manager owns, and removing the package would then take the module away.
   */
  static void refuseInstall(Session session, String m, String v, String k) throws DkmsException {
    Optional<PrebuiltManifest> pre = session.prebuilt().find(m, k);
    if (pre.isPresent()) {
      throw DkmsException.die(
          ExitCode.PROVIDED_BY_PACKAGE,
          "jdkms: "
              + m
              + "/"
              + v
              + " is not installed for kernel "
              + k
              + ": the package "
              + pre.get().packageName()
              + " provides "
              + pre.get().moduleVersion()
              + " (prebuilt) and owns its files.",
          "Remove that package first to install the module through DKMS.");
    }
  }
}
