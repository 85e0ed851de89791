package dev.jdkms.core.actions;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.build.ScriptRunner;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tarball.LdTarball;
import dev.jdkms.core.tarball.ModuleAdder;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code dkms add}: upstream's {@code add_module} for the request's module, a source tree ({@code
 * add_source_tree}) or a tarball ({@code load_tarball}). Build and install imply it.
 */
final class ModuleAdd {
  private final Session session;
  private final RpmAutoinstall rpmAutoinstall;

  ModuleAdd(Session session, RpmAutoinstall rpmAutoinstall) {
    this.session = session;
    this.rpmAutoinstall = rpmAutoinstall;
  }

  private DkmsRequest req() {
    return session.request();
  }

  private Console out() {
    return session.console();
  }

  /** What an add did: its exit status, and the module it added (a source tree names it). */
  record Added(int status, String module, String version) {}

  /** upstream's {@code add_module} for the request's module (or source tree, or tarball). */
  public int add() throws DkmsException, IOException {
    return added().status();
  }

  /** {@link #add}, saying which module was added. */
  Added added() throws DkmsException, IOException {
    DkmsRequest r = req();
    if (!r.archive.isEmpty() && r.module.isEmpty() && r.moduleVersion.isEmpty()) {
      // load_tarball, then the rest of add_module for the module found in it
      LdTarball.Loaded l = new LdTarball(session, moduleAdder()).load();
      return new Added(l.status(), l.module(), l.version());
    }
    String m = r.module;
    String v = r.moduleVersion;
    if (!r.trySourceTree.isEmpty() && m.isEmpty() && v.isEmpty()) {
      DkmsConf named = addSourceTree(r.trySourceTree);
      m = named.packageName();
      v = named.packageVersion();
    }
    return new Added(addModule(m, v), m, v);
  }

  /** What loading a tarball needs from add: the root check, add_module, autoinstall. */
  public ModuleAdder moduleAdder() {
    return new ModuleAdder() {
      @Override
      public void requireRoot() throws DkmsException {
        Checks.root(session);
      }

      @Override
      public int addModule(String module, String version) throws DkmsException, IOException {
        return ModuleAdd.this.addModule(module, version);
      }

      @Override
      public int autoinstall() throws DkmsException, IOException {
        return rpmAutoinstall.run(session);
      }
    };
  }

  int addModule(String module, String version) throws DkmsException, IOException {
    Checks.moduleArgs(module, version, "add");
    if (req().rpmSafeUpgrade) {
      RpmSafeUpgrade.writeLock(session, module, version);
    }
    DkmsTree tree = session.tree();
    if (tree.isAdded(module, version)) {
      throw DkmsException.die(
          ExitCode.ALREADY_ADDED,
          "DKMS tree already contains: " + module + "/" + version,
          "You cannot add the same module/version combo more than once.");
    }
    Path src = tree.sourceDir(module, version);
    Path conf = req().conf.isEmpty() ? src.resolve("dkms.conf") : Path.of(req().conf);
    if (!Files.isDirectory(src)) {
      throw DkmsException.die(
          ExitCode.SOURCE_DIR_MISSING,
          "Could not find module source directory.",
          "Directory: " + src + " does not exist.");
    }
    new ConfReader(session).readStrict(module, version, firstKernel(), firstArch(), conf);
    Path link = tree.sourceLink(module, version);
    out().println("Creating symlink " + link + " -> " + src);
    createVersionDir(tree, module, version, src);
    DkmsConf c = new ConfReader(session).read(module, version, firstKernel(), firstArch(), conf);
    return new ScriptRunner(session, module, version, session.environment())
        .run("post_add", c.script("POST_ADD"));
  }

  /** upstream's {@code add_source_tree}; returns the dkms.conf that names the module. */
  private DkmsConf addSourceTree(String path) throws DkmsException, IOException {
    Path from;
    try {
      from = Path.of(path).toRealPath();
    } catch (IOException e) {
      from = null;
    }
    if (from == null || !Files.isRegularFile(from.resolve("dkms.conf"))) {
      throw DkmsException.die(
          ExitCode.SOURCE_TREE_WITHOUT_CONF, path + " must contain a dkms.conf file!");
    }
    Checks.root(session);
    DkmsConf conf;
    try {
      conf =
          new ConfReader(session)
              .read("", "", firstKernel(), firstArch(), from.resolve("dkms.conf"));
    } catch (DkmsException e) {
      throw e;
    }
    if (conf.packageName().isEmpty() || conf.packageVersion().isEmpty()) {
      throw DkmsException.die(
          ExitCode.SOURCE_TREE_CONF_MALFORMED,
          "Malformed dkms.conf file. Cannot load source tree.");
    }
    Checks.safeNames(conf.packageName(), conf.packageVersion());
    String m = conf.packageName();
    String v = conf.packageVersion();
    DkmsTree tree = session.tree();
    Path dest = tree.sourceDir(m, v);
    if (req().force && Files.isDirectory(dest)) {
      out().errln("");
      out().println("Forcing install of " + m + "/" + v);
      FileTrees.deleteRecursively(dest);
    }
    Path vdir = tree.versionDir(m, v);
    if (from.equals(dest)
        || from.equals(vdir.resolve("source"))
        || from.equals(vdir.resolve("build"))) {
      return conf;
    }
    Files.createDirectories(dest);
    FileTrees.copyTree(from, dest);
    return conf;
  }

  /**
   * {@code M/V/build/} and {@code M/V/source -> SRC}, made in a temporary directory and renamed
   * into place, so that a crash never leaves a version dir without its link (which status would
   * call broken).
   */
  private static void createVersionDir(DkmsTree tree, String module, String version, Path src)
      throws IOException {
    Path vdir = tree.versionDir(module, version);
    if (!Files.exists(vdir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(vdir.getParent());
      // createDirectory, not createTempDirectory: the mode must follow the umask (0755).
      Path tmp = vdir.resolveSibling(".tmp_add_" + version + "_" + ProcessHandle.current().pid());
      FileTrees.deleteRecursively(tmp);
      Files.createDirectory(tmp);
      try {
        Files.createDirectories(tmp.resolve("build"));
        Files.createSymbolicLink(tmp.resolve("source"), src);
        Files.move(tmp, vdir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (IOException e) {
        FileTrees.deleteRecursively(tmp);
        if (!Files.exists(vdir)) {
          throw e;
        }
      }
    }
    Files.createDirectories(tree.buildDir(module, version));
    Files.createSymbolicLink(tree.sourceLink(module, version), src);
  }

  private String firstKernel() {
    return req().kernels.isEmpty() ? "" : req().kernels.get(0);
  }

  private String firstArch() {
    return req().arches.isEmpty() ? "" : req().arches.get(0);
  }
}
