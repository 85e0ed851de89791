package dev.jdkms.core.actions;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.build.ModuleBuilder;
import dev.jdkms.core.build.PrivateBuildAreas;
import dev.jdkms.core.build.ScriptRunner;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.install.ModuleInstaller;
import dev.jdkms.core.install.ModuleUninstaller;
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
import java.util.List;
import java.util.stream.Stream;

/**
 * The module lifecycle actions — add, build, install, uninstall, unbuild, remove — with upstream's
 * per-kernel semantics: build and install run each kernel as a subshell (a failure for one kernel
 * is printed and the next kernel still runs; the last kernel's status is the exit status), the
 * others stop at the first failure.
 */
public final class Lifecycle {
  private final Session session;
  private final RpmAutoinstall rpmAutoinstall;

  /** {@code rpmAutoinstall}: what adding an .rpm archive runs after installing it. */
  public Lifecycle(Session session, RpmAutoinstall rpmAutoinstall) {
    this.session = session;
    this.rpmAutoinstall = rpmAutoinstall;
  }

  private DkmsRequest req() {
    return session.request();
  }

  private Console out() {
    return session.console();
  }

  // ---- add ----

  /** upstream's {@code add_module} for the request's module (or source tree). */
  public int add() throws DkmsException, IOException {
    DkmsRequest r = req();
    if (!r.archive.isEmpty() && r.module.isEmpty() && r.moduleVersion.isEmpty()) {
      // load_tarball, then the rest of add_module for the module found in it
      return new LdTarball(session, moduleAdder()).run();
    } else if (!r.trySourceTree.isEmpty() && r.module.isEmpty() && r.moduleVersion.isEmpty()) {
      addSourceTree(r.trySourceTree);
    }
    return addModule(r.module, r.moduleVersion);
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
        return Lifecycle.this.addModule(module, version);
      }

      @Override
      public int autoinstall() throws DkmsException, IOException {
        return rpmAutoinstall.run(session);
      }
    };
  }

  private int addModule(String module, String version) throws DkmsException, IOException {
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

  private void addSourceTree(String path) throws DkmsException, IOException {
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
    req().module = conf.packageName();
    req().moduleVersion = conf.packageVersion();
    DkmsTree tree = session.tree();
    Path dest = tree.sourceDir(req().module, req().moduleVersion);
    if (req().force && Files.isDirectory(dest)) {
      out().errln("");
      out().println("Forcing install of " + req().module + "/" + req().moduleVersion);
      FileTrees.deleteRecursively(dest);
    }
    Path vdir = tree.versionDir(req().module, req().moduleVersion);
    if (from.equals(dest)
        || from.equals(vdir.resolve("source"))
        || from.equals(vdir.resolve("build"))) {
      return;
    }
    Files.createDirectories(dest);
    FileTrees.copyTree(from, dest);
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

  // ---- build / install ----

  /** {@code build_module}: every kernel in its own subshell; the last status wins. */
  public int build() {
    return perKernel((k, a) -> maybeBuild(k, a));
  }

  /** {@code install_module}: every kernel in its own subshell; the last status wins. */
  public int install() {
    return perKernel((k, a) -> maybeInstall(k, a));
  }

  /** install_module for one kernel, the caller providing the subshell (autoinstall). */
  public void installOneKernel(String k, String a) throws DkmsException {
    maybeInstall(k, a);
  }

  /**
   * The build half of install_module for one kernel: what {@link #installOneKernel} would build
   * first, done ahead (the transaction executor builds in parallel, then installs in order). With
   * {@code areas}, in a private build area (null: in {@code M/V/build}).
   */
  public void buildForInstall(String k, String a, PrivateBuildAreas areas) throws DkmsException {
    try {
      String m = req().module;
      String v = req().moduleVersion;
      if (session.tree().isInstalled(m, v, k, a) || session.tree().isBuilt(m, v, k, a)) {
        return;
      }
      addIfNeeded();
      if (k.isEmpty() || a.isEmpty()) {
        throw DkmsException.die(
            ExitCode.KERNEL_OR_ARCH_EMPTY, "do_install: Empty $kernelver or $arch");
      }
      doBuild(m, v, k, a, areas);
    } catch (IOException e) {
      throw io(e);
    }
  }

  private interface KernelWork {
    void run(String kernel, String arch) throws DkmsException;
  }

  /** Runs each kernel like upstream's {@code ( ... )}: module names set inside do not leak. */
  private int perKernel(KernelWork work) {
    int rc = 0;
    for (int i = 0; i < req().kernels.size(); i++) {
      String k = req().kernels.get(i);
      String a = req().arches.get(i);
      String m = req().module;
      String v = req().moduleVersion;
      try {
        rc = session.subshell(() -> work.run(k, a));
      } finally {
        req().module = m;
        req().moduleVersion = v;
      }
    }
    return rc;
  }

  /** A build implies an add; with a source tree argument the add also names the module. */
  private void addIfNeeded() throws DkmsException, IOException {
    if (!session.tree().isAdded(req().module, req().moduleVersion)) {
      int rc = add();
      if (rc != 0) {
        throw DkmsException.silent(rc);
      }
      out().println("");
    }
  }

  void maybeBuild(String k, String a) throws DkmsException {
    try {
      String m = req().module;
      String v = req().moduleVersion;
      if (session.tree().isBuilt(m, v, k, a)) {
        if (session.state().force) {
          rebuildKeepingPrevious(m, v, k, a);
          return;
        } else {
          out()
              .println(
                  "Module "
                      + m
                      + "/"
                      + v
                      + " already built for kernel "
                      + k
                      + " ("
                      + a
                      + "), skip."
                      + " You may override by specifying --force.");
          return;
        }
      }
      addIfNeeded();
      doBuild(req().module, req().moduleVersion, k, a, null);
    } catch (IOException e) {
      throw io(e);
    }
  }

  void maybeInstall(String k, String a) throws DkmsException {
    try {
      String m = req().module;
      String v = req().moduleVersion;
      if (session.tree().isInstalled(m, v, k, a)) {
        if (session.state().force) {
          new ModuleUninstaller(session).uninstall(m, v, k, a);
          out().println("");
        } else {
          out()
              .println(
                  "Module "
                      + m
                      + "/"
                      + v
                      + " already installed on kernel "
                      + k
                      + " ("
                      + a
                      + "), skip."
                      + " You may override by specifying --force.");
          return;
        }
      }
      if (!session.tree().isBuilt(m, v, k, a)) {
        addIfNeeded();
      }
      String mm = req().module;
      String vv = req().moduleVersion;
      if (!k.isEmpty() && !a.isEmpty() && !session.tree().isBuilt(mm, vv, k, a)) {
        doBuild(mm, vv, k, a, null);
      }
      new ModuleInstaller(session).install(mm, vv, k, a);
    } catch (IOException e) {
      throw io(e);
    }
  }

  /**
   * {@code build --force} of a built module. Upstream deletes the old build first, so a failed
   * rebuild leaves nothing; jdkms moves it aside (a {@code .tmp_} name, which status ignores and
   * remove cleans) and puts it back when the new build fails.
   */
  private void rebuildKeepingPrevious(String m, String v, String k, String a)
      throws DkmsException, IOException {
    Path built = session.tree().builtDir(m, v, k, a);
    Path aside = Files.createTempDirectory(built.getParent(), ".tmp_previous_" + a + "_");
    Files.move(built, aside.resolve(a), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    boolean ok = false;
    try {
      doBuild(m, v, k, a, null);
      ok = true;
    } finally {
      if (!ok && !Files.exists(built)) {
        Files.move(aside.resolve(a), built, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      FileTrees.deleteRecursively(aside);
    }
  }

  /**
   * Builds in {@code areas} (null: in {@code M/V/build}), adding the module first when it is not
   * added yet (a build implies an add).
   */
  private void doBuild(String m, String v, String k, String a, PrivateBuildAreas areas)
      throws DkmsException, IOException {
    if (!k.isEmpty() && !a.isEmpty() && !session.tree().isAdded(m, v)) {
      int rc = addModule(m, v);
      if (rc != 0) {
        throw DkmsException.silent(rc);
      }
      out().println("");
    }
    new ModuleBuilder(session, areas).build(m, v, k, a);
  }

  // ---- uninstall / unbuild / remove ----

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
      out()
          .println(
              "Module "
                  + m
                  + "/"
                  + v
                  + " is not built for kernel "
                  + k
                  + " ("
                  + a
                  + "). Skipping...");
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
        out()
            .println(
                "Module "
                    + m
                    + "/"
                    + v
                    + " is not installed for kernel "
                    + k
                    + " ("
                    + a
                    + "). Skipping...");
      }
      return;
    }
    new ModuleUninstaller(session).uninstall(m, v, k, a);
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

  public static DkmsException io(IOException e) {
    return DkmsException.die(ExitCode.FAILURE, "I/O error: " + e.getMessage());
  }
}
