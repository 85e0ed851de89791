package dev.jdkms.core.build;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A module's BUILD_DEPENDS: checked before its build, their versions recorded after it. */
final class BuildDepends {
  private final Session session;

  BuildDepends(Session session) {
    this.session = session;
  }

  /** Upstream's check before a build: every BUILD_DEPENDS installed, or --force. */
  void check(String module, String version, String kernel, String arch, DkmsConf conf)
      throws DkmsException, IOException {
    StringBuilder missing = new StringBuilder();
    for (String dep : conf.buildDepends()) {
      if (!installedVersion(dep, kernel, arch).isPresent()) {
        missing.append(' ').append(dep);
      }
    }
    if (missing.length() > 0) {
      String what =
          "module " + module + "/" + version + " for kernel " + kernel + " (" + arch + ")";
      if (session.state().force) {
        session
            .console()
            .warn("Trying to build " + what + " despite of missing BUILD_DEPENDS:" + missing + ".");
      } else {
        throw DkmsException.die(
            ExitCode.BUILD_DEPENDS_MISSING,
            "Aborting build of " + what + " due to missing BUILD_DEPENDS:" + missing + ".",
            "You may override by specifying --force.");
      }
    }
  }

  private Optional<String> installedVersion(String dep, String kernel, String arch)
      throws IOException {
    DkmsTree tree = session.tree();
    for (String[] mv : tree.moduleVersions(dep, "")) {
      if (tree.isAdded(mv[0], mv[1]) && tree.isInstalled(mv[0], mv[1], kernel, arch)) {
        return Optional.of(mv[1]);
      }
    }
    return Optional.empty();
  }

  /**
   * After a build with BUILD_DEPENDS_REBUILD: the versions it was built against, so that a newer
   * one rebuilds it.
   */
  void record(
      String module, String version, String kernel, String arch, DkmsConf conf, Path baseDir)
      throws IOException {
    if (!conf.buildDependsRebuild() || session.state().force) {
      return;
    }
    for (String dep : conf.buildDepends()) {
      Optional<String> v =
          dev.jdkms.core.tree.ModuleStatus.highestVersion(session.tree(), dep, kernel, arch);
      if (v.isPresent()) {
        Files.writeString(baseDir.resolve(".dep_" + dep), v.get() + "\n");
      }
    }
  }
}
