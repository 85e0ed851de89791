package dev.jdkms.core.install;

import dev.jdkms.core.build.ModuleBuilder;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import dev.jdkms.core.tree.ModuleStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * BUILD_DEPENDS_REBUILD: after an install, modules built against an older version of one of their
 * dependencies (recorded in {@code M/V/K/A/.dep_<dep>}) are uninstalled, rebuilt and reinstalled.
 */
public final class DependentRebuild {
  private final Session session;

  public DependentRebuild(Session session) {
    this.session = session;
  }

  public void run(String kernel, String arch) throws DkmsException, IOException {
    DkmsTree tree = session.tree();
    ConfReader confs = new ConfReader(session);
    List<String[]> toRebuild = new ArrayList<>();
    for (ModuleStatus.Entry e : ModuleStatus.entries(tree, "", "", "", "")) {
      if (!e.kernel().equals(kernel) || !e.arch().equals(arch)) {
        continue;
      }
      DkmsConf conf = confs.read(e.module(), e.version(), kernel, arch, null);
      if (conf.buildDepends().isEmpty() || !conf.buildDependsRebuild() || session.state().force) {
        continue;
      }
      if (updated(e.module(), e.version(), kernel, arch)) {
        toRebuild.add(new String[] {e.module(), e.version()});
      }
    }
    for (String[] mv : toRebuild) {
      String m = mv[0];
      String v = mv[1];
      session.console().println("");
      session
          .console()
          .println("Rebuilding module " + m + "/" + v + " due to updated dependencies");
      session.console().println("");
      new ModuleUninstaller(session).uninstall(m, v, kernel, arch);
      Path built = tree.builtDir(m, v, kernel, arch);
      dev.jdkms.core.build.FileTrees.deleteRecursively(built);
      Path kdir = built.getParent();
      if (Files.isDirectory(kdir)) {
        try (var s = Files.list(kdir)) {
          if (s.noneMatch(Files::isDirectory)) {
            dev.jdkms.core.build.FileTrees.deleteRecursively(kdir);
          }
        }
      }
      new ModuleBuilder(session).build(m, v, kernel, arch);
      new ModuleInstaller(session).install(m, v, kernel, arch);
    }
  }

  private boolean updated(String m, String v, String kernel, String arch)
      throws DkmsException, IOException {
    DkmsTree tree = session.tree();
    DkmsConf conf = new ConfReader(session).readStrict(m, v, kernel, arch, null);
    for (String dep : conf.buildDepends()) {
      Optional<String> depVersion = ModuleStatus.highestVersion(tree, dep, kernel, arch);
      if (depVersion.isEmpty()) {
        continue;
      }
      Path recorded = tree.builtDir(m, v, kernel, arch).resolve(".dep_" + dep);
      if (!Files.isRegularFile(recorded)
          || !Files.readString(recorded).strip().equals(depVersion.get())) {
        return true;
      }
    }
    return false;
  }
}
