package dev.jdkms.core.install;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.build.ScriptRunner;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import dev.jdkms.core.tree.PrebuiltManifest;
import dev.jdkms.core.tree.PrebuiltModules;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * upstream's {@code do_uninstall}: when this version is the active one, delete its installed files,
 * prune empty directories, restore archived originals and drop the {@code kernel-K-A} link; then
 * POST_REMOVE and depmod. The module stays built.
 */
public final class ModuleUninstaller {
  private final Session session;

  public ModuleUninstaller(Session session) {
    this.session = session;
  }

  public void uninstall(String module, String version, String kernel, String arch)
      throws DkmsException, IOException {
    Console out = session.console();
    DkmsTree tree = session.tree();
    Path backup = tree.originalModuleDir(module, kernel, arch);
    out.println("Module " + module + "/" + version + " for kernel " + kernel + " (" + arch + "):");
    String suffix = session.kernel(kernel).compressionSuffix();
    DkmsConf conf = new ConfReader(session).read(module, version, kernel, arch, null);
    Path installDir = session.kernel(kernel).dir();
    boolean wasActive = tree.isActive(module, version, kernel, arch);
    if (wasActive) {
      out.println("Before uninstall, this module version was ACTIVE on this kernel.");
      Path activeModules = tree.builtDir(module, version, kernel, arch).resolve("module");
      // The link is the "installed" flag: drop it first, so a crash while files are deleted
      // never leaves a module reported installed whose files are gone (the next install
      // overwrites leftovers).
      Files.deleteIfExists(tree.activeLink(module, kernel, arch));
      PrebuiltModules prebuilt = session.prebuilt();
      for (ModuleRecord m : conf.modules()) {
        String name = m.destName();
        Optional<String> loc =
            InstalledLocation.find(session.installTree(), kernel, activeModules, m, suffix);
        Optional<PrebuiltManifest> owner =
            loc.flatMap(l -> prebuilt.claiming(kernel, relative(l, name + ".ko" + suffix)));
        if (owner.isPresent()) {
          out.println(
              "jdkms: keeping "
                  + installDir
                  + loc.get()
                  + "/"
                  + name
                  + ".ko"
                  + suffix
                  + ": the package "
                  + owner.get().packageName()
                  + " (prebuilt) owns it");
        } else if (loc.isPresent()) {
          Path dir = Path.of(installDir + loc.get());
          out.println("Deleting " + dir + "/" + name + ".ko" + suffix);
          deleteModuleFiles(dir, name);
          pruneEmptyDirs(installDir, loc.get());
        } else {
          out.println(
              "Module " + name + ".ko" + suffix + " was not found within " + installDir + "/");
        }
        restoreOriginals(installDir, backup, name, m, suffix);
      }
    } else {
      out.println("This module version was INACTIVE for this kernel.");
    }
    new ScriptRunner(session, module, version, session.environment())
        .run("post_remove", conf.script("POST_REMOVE"));
    if (session.request().action.matches("kernel_(preinst|prerm)")) {
      Files.createDirectories(tree.root());
      Path pending = tree.root().resolve("depmod-pending-" + kernel + "-" + arch);
      if (!Files.exists(pending)) {
        Files.createFile(pending);
      }
    } else {
      new ModuleInstaller(session).depmod(kernel);
    }
    if (wasActive) {
      WeakModulesRefresh.afterChange(session, kernel, arch, module, conf.noWeakModules());
    }
    Path origKernel = tree.moduleDir(module).resolve("original_module").resolve(kernel);
    if (wasActive && Files.isDirectory(backup)) {
      out.println(
          "Removing original module(s) from DKMS tree for kernel " + kernel + " (" + arch + ")");
      FileTrees.deleteRecursively(backup);
      if (!hasSubdirs(origKernel)) {
        FileTrees.deleteRecursively(origKernel);
      }
    }
    Path orig = tree.moduleDir(module).resolve("original_module");
    if (!hasSubdirs(orig)) {
      FileTrees.deleteRecursively(orig);
    }
  }

  /** {@code /updates/dkms} and {@code x.ko} as a manifest names them: {@code updates/dkms/x.ko}. */
  private static String relative(String location, String file) {
    String dir = location.replaceAll("^/+|/+$", "");
    return dir.isEmpty() ? file : dir + "/" + file;
  }

  /** {@code rm -f DIR/NAME.ko*}. */
  private static void deleteModuleFiles(Path dir, String name) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, name + ".ko*")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** {@code rmdir -p --ignore-fail-on-non-empty} of the location, relative to the kernel dir. */
  private void pruneEmptyDirs(Path installDir, String location) throws IOException {
    if (!session.distribution().usesUnameArch() && ownedByRpm(installDir, location)) {
      return;
    }
    Path rel = Path.of(location.replaceAll("^/+", ""));
    for (Path p = rel; p != null && !p.toString().isEmpty(); p = p.getParent()) {
      Path d = installDir.resolve(p);
      if (!Files.isDirectory(d) || !ModuleInstaller.isEmptyDir(d)) {
        return;
      }
      Files.delete(d);
    }
  }

  private static boolean ownedByRpm(Path installDir, String location) {
    try {
      Process p =
          new ProcessBuilder("rpm", "-qf", location.replaceAll("^/+", ""))
              .directory(installDir.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void restoreOriginals(
      Path installDir, Path backup, String name, ModuleRecord m, String suffix) throws IOException {
    Console out = session.console();
    if (Files.isDirectory(backup)) {
      List<Path> origins = new ArrayList<>();
      try (Stream<Path> s = Files.walk(backup)) {
        s.filter(p -> Files.isRegularFile(p))
            .filter(
                p ->
                    p.getFileName()
                        .toString()
                        .matches(java.util.regex.Pattern.quote(name) + "\\..*\\.origin"))
            .forEach(origins::add);
      }
      for (Path origin : origins) {
        String f = origin.toString();
        Path archived = Path.of(f.substring(0, f.length() - ".origin".length()));
        if (!Files.isRegularFile(archived)) {
          continue;
        }
        String location = Files.readAllLines(origin).stream().findFirst().orElse("");
        if (location.startsWith(installDir + "/")) {
          out.println("Restoring archived original module " + location);
          Path target = Path.of(location);
          Files.createDirectories(target.getParent());
          Files.move(archived, target, StandardCopyOption.REPLACE_EXISTING);
          Files.deleteIfExists(origin);
        } else {
          out.warn("Bad original location '" + location + "' in " + origin);
        }
      }
      FileTrees.deleteEmptyDirs(backup.getParent());
    }
    Optional<Path> legacy = FileTrees.moduleFile(backup, name, suffix);
    if (legacy.isPresent()) {
      out.println("Restoring archived original module");
      Path dir = Path.of(installDir + m.rawDestLocation());
      Files.createDirectories(dir);
      Files.move(
          legacy.get(),
          dir.resolve(legacy.get().getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean hasSubdirs(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      return false;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.anyMatch(Files::isDirectory);
    }
  }
}
