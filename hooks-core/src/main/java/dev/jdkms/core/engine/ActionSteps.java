package dev.jdkms.core.engine;

import dev.jdkms.core.actions.Lifecycle;
import dev.jdkms.core.build.BuildClock;
import dev.jdkms.core.build.FailedLogs;
import dev.jdkms.core.build.KernelPreparation;
import dev.jdkms.core.build.PrivateBuildAreas;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.BuildProgress;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.exec.MakeTurn;
import dev.jdkms.core.plan.BuildSteps;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.BuildRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The executor's steps done with the drop-in's own actions, each unit in a {@link Session#fork} —
 * upstream's {@code (module=M module_version=V install_module)} subshell: the build half runs in a
 * build thread, the install half continues from the state the build left, on the kernel's console.
 * depmod is deferred to once per kernel at the end (the console line stays per install).
 */
final class ActionSteps implements BuildSteps {
  private static final Pattern SOURCE = Pattern.compile(".*\\.(c|S|cc|cpp)");
  private final Map<String, Session> parents;
  private final boolean autoinstallLines;
  private final Map<String, Session> prepared = new ConcurrentHashMap<>();
  private final Set<String> installedOn = ConcurrentHashMap.newKeySet();
  private final Set<String> deferDepmod;
  private final PrivateBuildAreas privateAreas;
  private final Set<String> privateVersions;
  private final Consumer<String> progressLines;
  private final Map<String, List<BuildRecord.Found>> records = new ConcurrentHashMap<>();
  private final Map<String, BuildClock> clocks = new ConcurrentHashMap<>();

  /** A unit's build result and the subshell its install continues in. */
  private record BuiltUnit(Session session, int status, Optional<BuildSteps.Failure> failure)
      implements BuildSteps.Built {}

  /**
   * @param parents per kernel, the session its units are forked from (upstream's shell)
   * @param autoinstallLines print upstream's "Autoinstall of module" line before each unit
   * @param deferDepmod kernels whose depmod waits for the end (per-install otherwise)
   * @param privateAreas where builds of {@code privateVersions} happen (null: all in M/V/build)
   * @param privateVersions the {@code M/V} built in private areas, so for several kernels at once
   * @param progressLines where each build's progress lines go (nowhere for the drop-in)
   */
  ActionSteps(
      Map<String, Session> parents,
      boolean autoinstallLines,
      Set<String> deferDepmod,
      PrivateBuildAreas privateAreas,
      Set<String> privateVersions,
      Consumer<String> progressLines) {
    this.progressLines = progressLines;
    this.parents = parents;
    this.autoinstallLines = autoinstallLines;
    this.deferDepmod = deferDepmod;
    this.privateAreas = privateAreas;
    this.privateVersions = privateAreas == null ? Set.of() : Set.copyOf(privateVersions);
  }

  private boolean isPrivate(Unit unit) {
    return privateVersions.contains(unit.module() + "/" + unit.version());
  }

  @Override
  public boolean sharesBuildDirectory(Unit unit) {
    return !isPrivate(unit);
  }

  /** Kernels something was installed on. */
  Set<String> installedOn() {
    return installedOn;
  }

  private Session fork(Session from, Console console, KernelJob job, Unit unit) {
    DkmsRequest r = from.request();
    if (unit != null) {
      r = r.forModule(unit.module(), unit.version());
    }
    if (deferDepmod.contains(job.kernel())) {
      r = r.withoutDepmod();
    }
    return from.fork(console, r);
  }

  @Override
  public void prepare(KernelJob job, Console console) throws DkmsException {
    Session base = fork(parents.get(job.kernel()), console, job, null);
    try {
      new KernelPreparation(base).prepare(job.kernel(), job.arch());
    } catch (IOException e) {
      throw Lifecycle.io(e);
    }
    prepared.put(job.kernel(), base);
  }

  @Override
  public BuildSteps.Built build(
      KernelJob job, Unit unit, Console console, Map<String, String> jobserverEnv, MakeTurn turn) {
    Session base = prepared.getOrDefault(job.kernel(), parents.get(job.kernel()));
    Session f = fork(base, console, job, unit);
    ChildEnvironment saved = f.environment();
    f.setEnvironment(saved.with(jobserverEnv));
    f.setMakeTurn(turn);
    BuildClock clock =
        BuildClock.start(
            unit.module(),
            unit.version(),
            job.kernel(),
            BuildRecord.latestOf(recordsOf(unit.module()), unit.version()),
            progressLines);
    clocks.put(clockKey(job, unit), clock);
    f.setProgress(clock);
    int status;
    try {
      new Lifecycle(f, Autoinstall::afterRpm)
          .buildForInstall(job.kernel(), job.arch(), isPrivate(unit) ? privateAreas : null);
      status = 0;
    } catch (DkmsException e) {
      f.report(e);
      status = e.exitCode();
    } catch (UncheckedIOException e) {
      f.console().error("jdkms: " + e.getMessage());
      status = ExitCode.FAILURE;
    } finally {
      f.setEnvironment(saved);
    }
    Optional<BuildSteps.Failure> failure = Optional.empty();
    if (status != ExitCode.SUCCESS && status != ExitCode.SKIPPED) {
      failure = failureOf(f, job, unit);
    }
    return new BuiltUnit(f, status, failure);
  }

  private Optional<BuildSteps.Failure> failureOf(Session f, KernelJob job, Unit unit) {
    try {
      Path buildDir = f.tree().buildDir(unit.module(), unit.version());
      Path kept =
          isPrivate(unit)
              ? privateAreas.keptLog(buildDir, job.kernel(), job.arch())
              : FailedLogs.keep(buildDir);
      if (kept == null) {
        return Optional.empty();
      }
      return Optional.of(new BuildSteps.Failure(kept, FailedLogs.excerpt(kept, 2, 4)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String clockKey(KernelJob job, Unit unit) {
    return job.kernel() + "/" + job.arch() + "/" + unit.module();
  }

  /** The build records of every version of {@code module}, read again after a build of it. */
  private List<BuildRecord.Found> recordsOf(String module) {
    Session any = parents.values().iterator().next();
    return records.computeIfAbsent(module, m -> BuildRecord.ofModule(any.tree(), m));
  }

  @Override
  public long recordedPeakBytes(Unit unit) {
    return BuildRecord.measuredPeakBytes(recordsOf(unit.module()), unit.version());
  }

  /** Keeps a successful build's record beside its make.log. */
  @Override
  public void measured(KernelJob job, Unit unit, BuildSteps.Built built, long peakBytes) {
    BuildClock clock = clocks.get(clockKey(job, unit));
    if (clock == null || built == null) {
      return;
    }
    if (built.status() != ExitCode.SUCCESS) {
      clocks.remove(clockKey(job, unit));
      clock.finished(
          built.status() == ExitCode.SKIPPED
              ? "skipped"
              : "build failed (exit " + built.status() + ")");
      return;
    }
    BuildRecord r = clock.record(peakBytes);
    Session f = ((BuiltUnit) built).session();
    try {
      r.writeTo(f.tree().builtDir(unit.module(), unit.version(), job.kernel(), job.arch()));
    } catch (IOException | RuntimeException e) {
      // a record is only a hint for the next build: losing it changes no outcome
    }
    // read again when next asked: this run's later builds of the module estimate from this one
    records.remove(unit.module());
  }

  @Override
  public int install(KernelJob job, Unit unit, Optional<BuildSteps.Built> built, Console console) {
    BuildClock clock = clocks.remove(clockKey(job, unit));
    if (clock != null) {
      clock.enter(BuildProgress.Phase.INSTALL);
    }
    int status = doInstall(job, unit, built, console);
    if (clock != null) {
      clock.finished(status == 0 ? "installed" : "not installed (exit " + status + ")");
    }
    return status;
  }

  private int doInstall(
      KernelJob job, Unit unit, Optional<BuildSteps.Built> built, Console console) {
    Session f =
        built
            .map(b -> ((BuiltUnit) b).session())
            .orElseGet(() -> fork(parents.get(job.kernel()), console, job, unit));
    f.setConsole(console);
    try {
      new Lifecycle(f, Autoinstall::afterRpm).installOneKernel(job.kernel(), job.arch());
      installedOn.add(job.kernel());
      return 0;
    } catch (DkmsException e) {
      f.report(e);
      return e.exitCode();
    } catch (UncheckedIOException e) {
      f.console().error("jdkms: " + e.getMessage());
      return ExitCode.FAILURE;
    }
  }

  /**
   * The unit's C and assembler sources: each is one compiler run against the kernel headers, whose
   * fixed cost dominates (a 1 KB file costs most of what a 20 KB one does), so the file count
   * decides and the size only breaks ties.
   */
  @Override
  public long estimate(Unit unit) {
    Session any = parents.values().iterator().next();
    Path src = any.tree().sourceLink(unit.module(), unit.version());
    long[] filesAndBytes = {0, 0};
    try (Stream<Path> s = Files.walk(src, FileVisitOption.FOLLOW_LINKS)) {
      s.filter(p -> SOURCE.matcher(p.getFileName().toString()).matches())
          .forEach(
              p -> {
                filesAndBytes[0]++;
                try {
                  filesAndBytes[1] += Files.size(p);
                } catch (IOException e) {
                  // an unreadable file still counts as one compile
                }
              });
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
    return filesAndBytes[0] * 1_000_000L + Math.min(filesAndBytes[1], 999_999L);
  }

  @Override
  public void before(KernelJob job, Unit unit, Console console) {
    Session base = prepared.get(job.kernel());
    if (!unit.built() && base != null) {
      // The preparation has just been shown: from here on the parent shell is prepared too.
      Session parent = parents.get(job.kernel());
      parent.state().preparedKernel = base.state().preparedKernel;
      parent.state().signing = base.state().signing;
    }
    if (autoinstallLines) {
      console.println(
          "Autoinstall of module "
              + unit.module()
              + "/"
              + unit.version()
              + " for kernel "
              + job.kernel()
              + " ("
              + job.arch()
              + ")");
    }
  }

  @Override
  public void after(KernelJob job, Unit unit, int status, Console console) {
    if (autoinstallLines) {
      console.println("");
    }
  }
}
