package dev.jdkms.core.actions;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.build.ModuleBuilder;
import dev.jdkms.core.build.PrivateBuildAreas;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.install.ModuleInstaller;
import dev.jdkms.core.install.ModuleUninstaller;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tarball.ModuleAdder;
import dev.jdkms.core.tree.BuildRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The module lifecycle actions — add, build, install, uninstall, unbuild, remove — with upstream's
 * per-kernel semantics: build and install run each kernel as a subshell (a failure for one kernel
 * is printed and the next kernel still runs; the last kernel's status is the exit status), the
 * others stop at the first failure. Build and install are here; add is {@link ModuleAdd}, and
 * uninstall, unbuild and remove are {@link ModuleTeardown}.
 */
public final class Lifecycle {
  private final Session session;
  private final ModuleAdd adds;

  /** {@code rpmAutoinstall}: what adding an .rpm archive runs after installing it. */
  public Lifecycle(Session session, RpmAutoinstall rpmAutoinstall) {
    this.session = session;
    this.adds = new ModuleAdd(session, rpmAutoinstall);
  }

  private DkmsRequest req() {
    return session.request();
  }

  private Console out() {
    return session.console();
  }

  /** upstream's {@code add_module} for the request's module (or source tree, or tarball). */
  public int add() throws DkmsException, IOException {
    return adds.add();
  }

  /** What loading a tarball needs from add: the root check, add_module, autoinstall. */
  public ModuleAdder moduleAdder() {
    return adds.moduleAdder();
  }

  public int uninstall() throws DkmsException, IOException {
    return new ModuleTeardown(session).uninstall();
  }

  public int unbuild() throws DkmsException, IOException {
    return new ModuleTeardown(session).unbuild();
  }

  public int remove() throws DkmsException, IOException {
    return new ModuleTeardown(session).remove();
  }

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

  /**
   * Runs each kernel like upstream's {@code ( ... )}: a module named inside (by a source tree or
   * tarball) is that kernel's only.
   */
  private int perKernel(KernelWork work) {
    int rc = 0;
    for (int i = 0; i < req().kernels.size(); i++) {
      String k = req().kernels.get(i);
      String a = req().arches.get(i);
      rc = session.subshell(() -> work.run(k, a));
    }
    return rc;
  }

  /**
   * A build implies an add; with a source tree or tarball argument the add also names the module.
   * Returns the module's names.
   */
  private ModuleAdd.Added addIfNeeded() throws DkmsException, IOException {
    if (session.tree().isAdded(req().module, req().moduleVersion)) {
      return new ModuleAdd.Added(0, req().module, req().moduleVersion);
    }
    ModuleAdd.Added added = adds.added();
    if (added.status() != 0) {
      throw DkmsException.silent(added.status());
    }
    out().println("");
    return added;
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
                  ModuleTeardown.onKernel(m, v, "already built for kernel", k, a)
                      + ", skip. You may override by specifying --force.");
          return;
        }
      }
      ModuleAdd.Added added = addIfNeeded();
      DropInClock clock = doBuild(added.module(), added.version(), k, a, null);
      if (clock != null) {
        clock.built();
      }
    } catch (IOException e) {
      throw io(e);
    }
  }

  void maybeInstall(String k, String a) throws DkmsException {
    try {
      String m = req().module;
      String v = req().moduleVersion;
      PrebuiltGuard.refuseInstall(session, m, v, k);
      if (session.tree().isInstalled(m, v, k, a)) {
        if (session.state().force) {
          new ModuleUninstaller(session).uninstall(m, v, k, a);
          out().println("");
        } else {
          out()
              .println(
                  ModuleTeardown.onKernel(m, v, "already installed on kernel", k, a)
                      + ", skip. You may override by specifying --force.");
          return;
        }
      }
      String mm = m;
      String vv = v;
      if (!session.tree().isBuilt(m, v, k, a)) {
        ModuleAdd.Added added = addIfNeeded();
        mm = added.module();
        vv = added.version();
      }
      DropInClock clock = null;
      if (!k.isEmpty() && !a.isEmpty() && !session.tree().isBuilt(mm, vv, k, a)) {
        clock = doBuild(mm, vv, k, a, null);
      }
      installTimed(clock, mm, vv, k, a);
    } catch (IOException e) {
      throw io(e);
    }
  }

  /** Installs, saying so after the build's phases when the drop-in timed the build. */
  private void installTimed(DropInClock clock, String m, String v, String k, String a)
      throws DkmsException, IOException {
    if (clock == null) {
      new ModuleInstaller(session).install(m, v, k, a);
      return;
    }
    clock.installing();
    try {
      new ModuleInstaller(session).install(m, v, k, a);
    } catch (DkmsException e) {
      clock.installed(e.exitCode());
      throw e;
    }
    clock.installed(ExitCode.SUCCESS);
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
    // the build being replaced is the best estimate of the new one's time
    Optional<BuildRecord> previous = BuildRecord.read(built);
    Files.move(built, aside.resolve(a), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    boolean ok = false;
    try {
      DropInClock clock = doBuild(m, v, k, a, null, previous);
      if (clock != null) {
        clock.built();
      }
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
   * added yet (a build implies an add). Returns the build's clock when the drop-in timed it (null
   * in the engine, whose clock it is).
   */
  private DropInClock doBuild(String m, String v, String k, String a, PrivateBuildAreas areas)
      throws DkmsException, IOException {
    return doBuild(m, v, k, a, areas, Optional.empty());
  }

  /** {@code previous}: the record to estimate from (else the version's latest in the tree). */
  private DropInClock doBuild(
      String m,
      String v,
      String k,
      String a,
      PrivateBuildAreas areas,
      Optional<BuildRecord> previous)
      throws DkmsException, IOException {
    if (!k.isEmpty() && !a.isEmpty() && !session.tree().isAdded(m, v)) {
      int rc = adds.addModule(m, v);
      if (rc != 0) {
        throw DkmsException.silent(rc);
      }
      out().println("");
    }
    return DropInClock.time(
        session, m, v, k, a, previous, () -> new ModuleBuilder(session, areas).build(m, v, k, a));
  }

  public static DkmsException io(IOException e) {
    return DkmsException.die(ExitCode.FAILURE, "I/O error: " + e.getMessage());
  }
}
