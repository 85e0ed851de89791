package dev.jdkms.core.actions;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.install.ModuleUninstaller;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code dkms uninstall}, {@code unbuild} and {@code remove} of the request's module on its
 * kernels: each stops at the first failure, as upstream's do.
 */
final class ModuleTeardown {
  private final Session session;

  ModuleTeardown(Session session) {
    this.session = session;
  }

  private DkmsRequest req() {
    return session.request();
  }

  private Console out() {
    return session.console();
  }

  public int uninstall() throws DkmsException, IOException {
    for (int i = 0; i < req().kernels.size(); i++) {
      if (i > 0) {
        out().println("");
      }
      maybeUninstall(req().kernels.get(i), req().arches.get(i));
    }
    return 0;
  }

  public int unbuild() throws DkmsException, IOException {
    for (int i = 0; i < req().kernels.size(); i++) {
      if (i > 0) {
        out().println("");
      }
      maybeUninstall(req().kernels.get(i), req().arches.get(i));
      maybeUnbuild(req().kernels.get(i), req().arches.get(i));
    }
    return 0;
  }

  public int remove() throws DkmsException, IOException {
    String m = req().module;
    String v = req().moduleVersion;
    DkmsTree tree = session.tree();
    Path vdir = tree.versionDir(m, v);
    for (Path k : list(vdir)) {
      if (!Files.isDirectory(k)) {
        continue;
      }
      try (Stream<Path> s = Files.list(k)) {
        for (Path t : s.filter(p -> p.getFileName().toString().startsWith(".tmp_")).toList()) {
          FileTrees.deleteRecursively(t);
        }
      }
    }
    for (Path d : list(vdir)) {
      if (Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS) && list(d).isEmpty()) {
        Files.delete(d);
      }
    }
    if (req().rpmSafeUpgrade && RpmSafeUpgrade.cancelsRemove(session, m, v)) {
      out().warn("Remove cancelled because --rpm_safe_upgrade scenario detected.");
      return 0;
    }
    for (int i = 0; i < req().kernels.size(); i++) {
      maybeUninstall(req().kernels.get(i), req().arches.get(i));
      maybeUnbuild(req().kernels.get(i), req().arches.get(i));
      out().println("");
    }
    boolean othersRemain = false;
    for (Path d : list(vdir)) {
      String n = d.getFileName().toString();
      if (Files.isDirectory(d) && !n.matches(".*(build|tarball|driver_disk|rpm|deb|source)$")) {
        othersRemain = true;
      }
    }
    if (!othersRemain) {
      out().println("Deleting module " + m + "/" + v + " completely from the DKMS tree.");
      FileTrees.deleteRecursively(vdir);
    }
    Path mdir = tree.moduleDir(m);
    if (Files.isDirectory(mdir) && listAll(mdir).isEmpty()) {
      FileTrees.deleteRecursively(mdir);
    }
    return 0;
  }

  private void maybeUnbuild(String k, String a) throws IOException {
    String m = req().module;
    String v = req().moduleVersion;
    if (!session.tree().isBuilt(m, v, k, a)) {
      out().println(onKernel(m, v, "is not built for kernel", k, a) + ". Skipping...");
      return;
    }
    unbuildDir(m, v, k, a);
  }

  private void unbuildDir(String m, String v, String k, String a) throws IOException {
    DkmsTree tree = session.tree();
    // Renamed aside first: a crash half-way through the delete must not leave M/V/K/A looking
    // built with files missing (.tmp_ names are invisible to status and cleaned by remove).
    Path built = tree.builtDir(m, v, k, a);
    if (Files.isDirectory(built, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Path aside = built.resolveSibling(".tmp_unbuild_" + a + "_" + ProcessHandle.current().pid());
      FileTrees.deleteRecursively(aside);
      Files.move(built, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      FileTrees.deleteRecursively(aside);
    }
    FileTrees.deleteRecursively(built);
    Path kdir = tree.versionDir(m, v).resolve(k);
    if (Files.isDirectory(kdir)) {
      try (Stream<Path> s = Files.list(kdir)) {
        if (s.noneMatch(p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p))) {
          FileTrees.deleteRecursively(kdir);
        }
      }
    }
  }

  private void maybeUninstall(String k, String a) throws DkmsException, IOException {
    String m = req().module;
    String v = req().moduleVersion;
    DkmsTree tree = session.tree();
    if (!tree.isInstalled(m, v, k, a)) {
      boolean excluded = false;
      Path conf = tree.sourceLink(m, v).resolve("dkms.conf");
      if (Files.isRegularFile(conf)) {
        Session.MutableState st = session.state();
        String savedKey = st.lastConfKey;
        DkmsConf savedConf = st.lastConf;
        try {
          excluded =
              new ConfReader(session)
                  .readConf(m, v, k, a, conf, false)
                  .map(DkmsConf::hasPerModuleExclusive)
                  .orElse(false);
        } catch (DkmsException e) {
          excluded = false;
        } finally {
          st.lastConfKey = savedKey;
          st.lastConf = savedConf;
        }
      }
      if (!excluded) {
        out().println(onKernel(m, v, "is not installed for kernel", k, a) + ". Skipping...");
      }
      return;
    }
    new ModuleUninstaller(session).uninstall(m, v, k, a);
  }

  /** Upstream's "Module M/V <state> K (A)", the start of its per-kernel notes. */
  static String onKernel(String m, String v, String state, String k, String a) {
    return "Module " + m + "/" + v + " " + state + " " + k + " (" + a + ")";
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    }
  }

  private static List<Path> listAll(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    }
  }
}
