package dev.jdkms.core.build;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.kabi.BuiltModuleCheck;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * upstream's {@code do_build} for one module, version, kernel and arch: copy the source into {@code
 * build/}, patch, run PRE_BUILD, make, check the .ko files, strip, sign, compress, and only then
 * make the result visible by renaming a temporary directory to {@code M/V/K/A}, so a failed build
 * never leaves a half-built state.
 */
public final class ModuleBuilder {
  private final Session session;
  private final PrivateBuildAreas privateAreas;

  /** Builds in {@code M/V/build} itself, as upstream does. */
  public ModuleBuilder(Session session) {
    this(session, null);
  }

  /**
   * Builds in a private area from {@code privateAreas} (null: in {@code M/V/build} itself, as
   * upstream does).
   */
  public ModuleBuilder(Session session, PrivateBuildAreas privateAreas) {
    this.session = session;
    this.privateAreas = privateAreas;
  }

  /** Builds an added module (the caller adds it first: a build implies an add). */
  public void build(String module, String version, String kernel, String arch)
      throws DkmsException, IOException {
    if (kernel.isEmpty() || arch.isEmpty()) {
      throw DkmsException.die(ExitCode.KERNEL_OR_ARCH_EMPTY, "do_build: Empty $kernelver or $arch");
    }
    DkmsTree tree = session.tree();
    Path sourceDir = tree.sourceLink(module, version);
    Path visibleBuildDir = tree.buildDir(module, version);
    Path kernelDir = tree.versionDir(module, version).resolve(kernel);
    Path baseDir = kernelDir.resolve(arch);
    if (Files.isDirectory(baseDir)) {
      throw DkmsException.die(
          ExitCode.ALREADY_BUILT,
          "This module/version has already been built on: " + kernel,
          "Directory "
              + baseDir
              + " already exists. Use the dkms remove function before trying to build again.");
    }
    String suffix = session.kernel(kernel).compressionSuffix();
    DkmsConf conf = new ConfReader(session).readStrict(module, version, kernel, arch, null);
    if (conf.buildExcluded()) {
      throw DkmsException.dieWarn(
          ExitCode.SKIPPED,
          "The " + baseDir + "/dkms.conf",
          "for module " + module + "/" + version + " includes BUILD_EXCLUSIVE directives",
          "which do not match this kernel/arch/config for any modules.",
          "This indicates that it should not be built.");
    }
    if (countEntries(sourceDir) < 2) {
      throw DkmsException.die(
          ExitCode.NO_MODULE_SOURCE,
          "The directory "
              + sourceDir
              + " does not appear to have module source located within it.",
          "Build halted.");
    }
    new KernelPreparation(session).prepare(kernel, arch);
    ChildEnvironment env = new BuildEnvironment(session).forKernel(kernel);
    new BuildDepends(session).check(module, version, kernel, arch, conf);

    BuildArea area =
        privateAreas == null
            ? BuildArea.shared(visibleBuildDir)
            : privateAreas.enter(visibleBuildDir, kernel, arch);
    boolean built = false;
    try {
      buildIn(area, module, version, kernel, arch, conf, env.with(area.environment()), suffix);
      built = true;
    } finally {
      if (privateAreas != null) {
        privateAreas.leave(area, !built);
      }
    }
  }

  private void buildIn(
      BuildArea area,
      String module,
      String version,
      String kernel,
      String arch,
      DkmsConf conf,
      ChildEnvironment env,
      String suffix)
      throws DkmsException, IOException {
    DkmsTree tree = session.tree();
    Path sourceDir = tree.sourceLink(module, version);
    Path buildDir = area.dir();
    Path kernelDir = tree.versionDir(module, version).resolve(kernel);
    Path baseDir = kernelDir.resolve(arch);
    Path buildLog = buildDir.resolve("make.log");
    Path shownLog = area.shown(buildLog);
    FailedLogs.keep(buildDir);
    FileTrees.deleteRecursively(buildDir);
    FileTrees.copyTree(sourceDir, buildDir);
    Path etcPatches = session.host().etcDkms().resolve(module).resolve("patches");
    if (Files.isDirectory(etcPatches)) {
      FileTrees.copyTree(etcPatches, buildDir.resolve("patches"));
    }
    ScriptRunner scripts = new ScriptRunner(session, module, version, env).in(area);
    // upstream's dots, except for its test modules; phase lines replace them where they are shown
    boolean dots = !conf.packageName().matches("dkms.*_test") && !session.phaseLines();
    new BuildCommands(session, area, env, dots)
        .run(module, version, kernel, arch, conf, scripts, buildLog, shownLog);
    checkBuilt(conf, buildDir, kernel, arch, shownLog);
    Path tmp = finished(conf, area, env, suffix, kernelDir, arch);
    FileTrees.chmod755(tmp);
    try {
      Files.move(tmp, baseDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw DkmsException.die(ExitCode.BUILD_MOVE_FAILED, "do_build: final mv failed (1)");
    }
    scripts.runLogged("post_build", conf.script("POST_BUILD"), buildLog, dots);
    Files.move(buildLog, baseDir.resolve("log/make.log"), StandardCopyOption.REPLACE_EXISTING);
    FileTrees.deleteRecursively(buildDir);
    new BuildDepends(session).record(module, version, kernel, arch, conf, baseDir);
    keepConfCopy(module, version);
  }

  /** Every buildable module must exist where make should have left it, built for the kernel. */
  private static void checkBuilt(
      DkmsConf conf, Path buildDir, String kernel, String arch, Path shownLog)
      throws DkmsException, IOException {
    for (ModuleRecord m : conf.modules()) {
      if (!conf.isBuildable(m.index())) {
        continue;
      }
      String rel = m.builtLocation() + m.builtName() + ".ko";
      if (!Files.exists(buildDir.resolve(rel))) {
        throw DkmsException.die(
            ExitCode.BUILT_MODULE_MISSING,
            "Build of " + rel + " failed for: " + kernel + " (" + arch + ")",
            "Make sure the name and location of the generated module are correct,",
            "or consult " + shownLog + " for more information.");
      }
    }
    checkVermagic(conf, buildDir, kernel, shownLog);
  }

  /**
   * The build's result in a temporary directory beside {@code K/A}: Module.symvers and each module
   * stripped, signed and compressed ({@link ModuleFinisher}).
   */
  private Path finished(
      DkmsConf conf,
      BuildArea area,
      ChildEnvironment env,
      String suffix,
      Path kernelDir,
      String arch)
      throws DkmsException, IOException {
    Path buildDir = area.dir();
    Files.createDirectories(kernelDir);
    Path tmp = Files.createTempDirectory(kernelDir, ".tmp_" + arch + "_");
    Files.createDirectories(tmp.resolve("log"));
    Files.createDirectories(tmp.resolve("module"));
    if (Files.isRegularFile(buildDir.resolve("Module.symvers"))) {
      Files.copy(
          buildDir.resolve("Module.symvers"),
          tmp.resolve("module/Module.symvers"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    ModuleFinisher finisher =
        new ModuleFinisher(session, env, session.state().signing, suffix, area);
    List<ModuleRecord> buildable = new ArrayList<>();
    for (ModuleRecord m : conf.modules()) {
      if (conf.isBuildable(m.index())) {
        buildable.add(m);
      }
    }
    finisher.finishAll(buildable, m -> builtModule(buildDir, m), tmp);
    session.secureBootNotice().afterSigning(session.state().signing, session.console());
    for (ModuleRecord m : conf.modules()) {
      if (conf.isBuildable(m.index())
          && FileTrees.moduleFile(tmp.resolve("module"), m.destName(), suffix).isEmpty()) {
        throw DkmsException.die(
            ExitCode.BUILT_MODULE_MISSING,
            "Missing module '" + m.destName() + "' in " + tmp + "/module");
      }
    }
    return tmp;
  }

  /** {@link DkmsTree#confCopy}: written aside and renamed in, so it is whole or absent. */
  private void keepConfCopy(String module, String version) throws IOException {
    Path from = new ConfReader(session).defaultConf(module, version);
    Path to = session.tree().confCopy(module, version);
    // builds of one version for several kernels may end at the same time: a name of its own
    Path tmp =
        to.resolveSibling(
            ".dkms.conf.tmp_"
                + ProcessHandle.current().pid()
                + "_"
                + Thread.currentThread().getId());
    Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Each built module must be for {@code kernel}: a Makefile using `uname -r` builds another. */
  private static void checkVermagic(DkmsConf conf, Path buildDir, String kernel, Path buildLog)
      throws DkmsException, IOException {
    for (ModuleRecord m : conf.modules()) {
      if (!conf.isBuildable(m.index())) {
        continue;
      }
      Path ko = builtModule(buildDir, m);
      Optional<BuiltModuleCheck.Mismatch> bad = BuiltModuleCheck.check(ko, kernel);
      if (bad.isPresent()) {
        String[] lines = bad.get().lines();
        String[] all = java.util.Arrays.copyOf(lines, lines.length + 1);
        all[lines.length] = "Consult " + buildLog + " for more information.";
        throw DkmsException.die(ExitCode.MAKE_FAILED, all);
      }
    }
  }

  /**
   * Where make left a record's module: always under the build dir, as upstream's {@code
   * $build_dir/$location$name} is even when the location is absolute.
   */
  static Path builtModule(Path buildDir, ModuleRecord m) {
    return Path.of(buildDir + "/" + m.builtLocation() + m.builtName() + ".ko");
  }

  private static int countEntries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }
}
