package dev.jdkms.core.install;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.build.ScriptRunner;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.kernel.KernelTree;
import dev.jdkms.core.kernel.RunningKernel;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * upstream's {@code do_install}: copy built modules into {@code /lib/modules/K}, archiving any
 * same-named original first, then mark the version active with the {@code kernel-K-A} link and run
 * depmod (rolled back to "built" when depmod fails).
 */
public final class ModuleInstaller {
  private final Session session;

  public ModuleInstaller(Session session) {
    this.session = session;
  }

  /** Installs a built module (the caller builds it first: an install implies a build). */
  public void install(String module, String version, String kernel, String arch)
      throws DkmsException, IOException {
    if (kernel.isEmpty() || arch.isEmpty()) {
      throw DkmsException.die(
          ExitCode.KERNEL_OR_ARCH_EMPTY, "do_install: Empty $kernelver or $arch");
    }
    DkmsTree tree = session.tree();
    Console out = session.console();
    Path baseDir = tree.builtDir(module, version, kernel, arch);
    KernelTree kt = session.kernel(kernel);
    Path backup = tree.originalModuleDir(module, kernel, arch);
    Path activeLink = tree.activeLink(module, kernel, arch);
    Session.MutableState st = session.state();
    boolean savedForce = st.force;
    String forced = ForcedModules.lookup(session.host().forcedModules(), module);
    if (forced.equals("force")) {
      st.force = true;
      out.println("Forcing installation of " + module);
    } else if (forced.equals("version-override")) {
      st.forceVersionOverride = true;
      out.println("Forcing version override of " + module);
    }
    if (!Files.exists(kt.dir())) {
      throw DkmsException.die(
          ExitCode.KERNEL_DIR_MISSING,
          "The directory " + kt.dir() + " doesn't exist.",
          "You cannot install a module onto a non-existent kernel.");
    }
    String suffix = kt.compressionSuffix();
    DkmsConf conf = new ConfReader(session).readStrict(module, version, kernel, arch, null);
    for (ModuleRecord m : conf.modules()) {
      if (conf.isBuildable(m.index())
          && FileTrees.moduleFile(baseDir.resolve("module"), m.destName(), suffix).isEmpty()) {
        throw DkmsException.die(
            ExitCode.BUILT_MODULE_MISSING_AT_INSTALL,
            "Missing module " + m.destName() + " in " + baseDir + "/module");
      }
    }
    if (tree.isInstalled(module, version, kernel, arch)) {
      throw DkmsException.die(
          ExitCode.ALREADY_INSTALLED,
          "This module/version combo is already installed for kernel "
              + kernel
              + " ("
              + arch
              + ").");
    }
    if (session.request().rpmSafeUpgrade) {
      st.force = true;
    }
    ScriptRunner scripts = new ScriptRunner(session, module, version, session.environment());
    if (scripts.run("pre_install", conf.script("PRE_INSTALL")) != 0 && !st.force) {
      throw DkmsException.die(
          ExitCode.PRE_INSTALL_FAILED,
          "pre_install failed, aborting install.",
          "You may override by specifying --force.");
    }
    if (!Files.isSymbolicLink(activeLink)) {
      removeInterruptedInstall(kt, conf, baseDir.resolve("module"), suffix);
    }
    boolean any = false;
    for (ModuleRecord m : conf.modules()) {
      if (!conf.isBuildable(m.index())) {
        continue;
      }
      if (!VersionSanity.check(
          out,
          kt,
          conf.obsoleteBy(),
          m.destName(),
          baseDir.resolve("module"),
          suffix,
          st.force,
          st.forceVersionOverride)) {
        continue;
      }
      String name = m.destName();
      List<Path> existing = kt.findModule(name, suffix);
      Optional<Path> originalCopy = FileTrees.moduleFile(backup, name, suffix);
      if (Files.isSymbolicLink(activeLink) && originalCopy.isPresent()) {
        out.println("An original module was already stored during a previous install");
      } else if (!Files.isSymbolicLink(activeLink)) {
        archiveOriginal(kt, m, existing, backup, suffix);
      }
      if (existing.size() > 1) {
        moveCollisions(kt, name, suffix, backup);
      }
      Path toInstall = FileTrees.moduleFile(baseDir.resolve("module"), name, suffix).orElseThrow();
      Path destDir = Path.of(kt.dir() + m.destLocation());
      Path dest = destDir.resolve(toInstall.getFileName().toString());
      out.println("Installing " + dest);
      Files.createDirectories(destDir);
      Path tmp = destDir.resolve("." + toInstall.getFileName() + ".jdkms-tmp");
      if (!session.setting("symlink_modules").isEmpty()) {
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, toInstall);
      } else {
        Files.copy(toInstall, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      any = true;
    }
    if (!conf.modules().isEmpty() && !any) {
      throw DkmsException.die(ExitCode.INSTALL_ABORTED, "Installation aborted.");
    }
    Files.deleteIfExists(activeLink);
    Files.createSymbolicLink(activeLink, Path.of(version, kernel, arch));
    scripts.run("post_install", conf.script("POST_INSTALL"));
    int rc = depmod(kernel);
    if (rc != 0) {
      new ModuleUninstaller(session).uninstall(module, version, kernel, arch);
      throw DkmsException.die(
          ExitCode.DEPMOD_FAILED,
          "Problems with depmod detected. Automatically uninstalling this module.",
          "Install Failed (depmod problems). Module rolled back to built state.");
    }
    loadIfRunning(kernel);
    st.force = savedForce;
    WeakModulesRefresh.afterChange(session, kernel, arch, module, conf.noWeakModules());
    new DependentRebuild(session).run(kernel, arch);
  }

  /**
   * An install killed after it moved a module into place but before it marked the module installed
   * (the {@code kernel-K-A} link, created after the files) left files that are byte for byte this
   * build's at this build's destinations, while no version of the module is installed. They are
   * this install's own: removed, so that it runs as it would have the first time (the version check
   * would otherwise refuse them as "already installed", and they would be archived as the kernel's
   * original module).
   */
  private void removeInterruptedInstall(
      KernelTree kt, DkmsConf conf, Path builtModules, String suffix) throws IOException {
    for (ModuleRecord m : conf.modules()) {
      if (!conf.isBuildable(m.index())) {
        continue;
      }
      Optional<Path> ours = FileTrees.moduleFile(builtModules, m.destName(), suffix);
      if (ours.isEmpty()) {
        continue;
      }
      Path dest = Path.of(kt.dir() + m.destLocation()).resolve(ours.get().getFileName().toString());
      if (Files.isRegularFile(dest) && Files.mismatch(dest, ours.get()) == -1) {
        Files.delete(dest);
      }
    }
  }

  /**
   * modprobe_on_install: make the new modules usable at once, but only on the running kernel
   * (loading a module built for another kernel would fail or, worse, succeed wrongly).
   */
  private void loadIfRunning(String kernel) throws IOException {
    if (session.setting("modprobe_on_install").isEmpty()) {
      return;
    }
    String running = RunningKernel.release(session.host().runningRelease());
    if (!running.equals(kernel)) {
      return;
    }
    // modprobe acts on the running kernel, so the script names the real /sys and unit file
    String script =
        "find /sys/devices -name modalias -print0 | xargs -0 cat | sort -u"
            + " | xargs modprobe -a -b -q; if [ -f /lib/systemd/system/systemd-modules-load.service ];"
            + " then systemctl restart systemd-modules-load.service; fi";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
    session.environment().applyTo(pb);
    pb.redirectOutput(session.console().childOut()).redirectError(session.console().childErr());
    CommandRunner.waitFor(pb.start());
  }

  /** "Running depmod... done." as upstream prints it (the depmod itself is silent). */
  int depmod(String kernel) throws IOException {
    if (session.request().noDepmod) {
      return new CommandRunner(session.console(), session.verbose())
          .run(depmodInvocation(kernel), () -> 0);
    }
    return new CommandRunner(session.console(), session.verbose())
        .run(depmodInvocation(kernel), () -> Depmod.run(session.kernel(kernel), session.host()));
  }

  private CommandRunner.Invocation depmodInvocation(String kernel) {
    return new CommandRunner.Invocation(
        "do_depmod " + kernel, "Running depmod", null, true, false, null, session.environment());
  }

  private void archiveOriginal(
      KernelTree kt, ModuleRecord m, List<Path> existing, Path backup, String suffix)
      throws IOException {
    Console out = session.console();
    String name = m.destName();
    List<Optional<Path>> prefs = new ArrayList<>();
    prefs.add(FileTrees.moduleFile(kt.dir().resolve("extra"), name, suffix));
    prefs.add(FileTrees.moduleFile(kt.dir().resolve("updates"), name, suffix));
    prefs.add(FileTrees.moduleFile(Path.of(kt.dir() + m.destLocation()), name, suffix));
    prefs.add(existing.size() == 1 ? Optional.of(existing.get(0)) : Optional.empty());
    for (Optional<Path> p : prefs) {
      if (p.isEmpty() || !Files.isRegularFile(p.get())) {
        continue;
      }
      Path orig = p.get();
      out.println("Found pre-existing " + orig + ", archiving for uninstallation");
      Files.createDirectories(backup);
      Files.move(orig, backup.resolve(orig.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(backup.resolve(orig.getFileName() + ".origin"), orig + "\n");
      return;
    }
    if (existing.size() > 1) {
      out.println(
          "Multiple original modules exist, so none will be put back in place during a later uninstall");
      out.println(
          "All instances will be stored for reference purposes in " + backup + "/collisions/");
    }
  }

  private void moveCollisions(KernelTree kt, String name, String suffix, Path backup)
      throws IOException {
    List<Path> dups = kt.findModule(name, suffix);
    session
        .console()
        .println(
            "Multiple same named modules! "
                + dups.size()
                + " named "
                + name
                + ".ko"
                + suffix
                + " in "
                + kt.dir()
                + "/");
    for (Path dup : dups) {
      String rel = kt.dir().relativize(dup.getParent()).toString();
      Path target = backup.resolve("collisions").resolve(rel);
      Files.createDirectories(target);
      Files.move(dup, target.resolve(dup.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(target.resolve(dup.getFileName() + ".origin"), dup + "\n");
    }
  }

  static boolean isEmptyDir(Path d) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
      return !s.iterator().hasNext();
    }
  }
}
