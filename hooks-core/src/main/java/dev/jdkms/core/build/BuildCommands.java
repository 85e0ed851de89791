package dev.jdkms.core.build;

import dev.jdkms.core.BuildInfo;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.exec.BuildProgress;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.exec.MakeTurn;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The commands of one build, run in its build directory and logged to its make.log as upstream logs
 * them: the log's header, the patches, PRE_BUILD, then make in the build's turn.
 */
final class BuildCommands {
  private final Session session;
  private final BuildArea area;
  private final ChildEnvironment env;
  private final boolean dots;
  private final CommandRunner runner;

  /** {@code dots}: print progress dots, as upstream does except for its own test modules. */
  BuildCommands(Session session, BuildArea area, ChildEnvironment env, boolean dots) {
    this.session = session;
    this.area = area;
    this.env = env;
    this.dots = dots;
    this.runner = new CommandRunner(session.console(), session.verbose());
  }

  void run(
      String module,
      String version,
      String kernel,
      String arch,
      DkmsConf conf,
      ScriptRunner scripts,
      Path buildLog,
      Path shownLog)
      throws DkmsException, IOException {
    Path buildDir = area.dir();
    Files.writeString(
        buildLog,
        "DKMS (dkms-"
            + BuildInfo.DKMS_VERSION
            + ") make.log for "
            + module
            + "/"
            + version
            + " for kernel "
            + kernel
            + " ("
            + arch
            + ")\n"
            + dateLine()
            + "\n",
        StandardCharsets.UTF_8);

    patch(conf, buildDir, buildLog, shownLog);
    scripts.runLogged("pre_build", conf.script("PRE_BUILD"), buildLog, dots);
    make(conf, kernel, arch, buildDir, buildLog, shownLog);
  }

  private void patch(DkmsConf conf, Path buildDir, Path buildLog, Path shownLog)
      throws DkmsException, IOException {
    if (!conf.patches().isEmpty() || !conf.script("PRE_BUILD").isEmpty()) {
      session.makeTurn().commandsFirst();
      session.progress().enter(BuildProgress.Phase.CONFIGURE);
    }
    for (String p : conf.patches()) {
      if (("patches/" + p).contains("/../")) {
        throw DkmsException.die(
            ExitCode.PATCH_INVALID,
            "Patch " + p + " as specified in dkms.conf contains '..' path component.");
      }
      // upstream tests "$build_dir/patches/$p": an absolute name stays under patches/
      if (!Files.exists(Path.of(buildDir + "/patches/" + p))) {
        throw DkmsException.die(
            ExitCode.PATCH_INVALID,
            "Patch " + p + " as specified in dkms.conf cannot be",
            "found in " + area.visible() + "/patches/.");
      }
      int rc =
          runner.run(
              new CommandRunner.Invocation(
                  "patch -p1 < ./patches/" + p,
                  "Applying patch " + p,
                  buildLog,
                  true,
                  dots,
                  buildDir,
                  env));
      if (rc != 0) {
        throw DkmsException.die(
            ExitCode.PATCH_FAILED,
            "Application of patch " + p + " failed.",
            "Consult " + shownLog + " for more information.");
      }
    }
  }

  private void make(
      DkmsConf conf, String kernel, String arch, Path buildDir, Path buildLog, Path shownLog)
      throws DkmsException, IOException {
    String jobs = session.setting("parallel_jobs");
    String make = conf.makeCommand();
    if (make.startsWith("make")) {
      make = "make -j" + jobs + " KERNELRELEASE=" + kernel + make.substring(4);
    }
    int rc;
    session.progress().enter(BuildProgress.Phase.MAKE);
    try (MakeTurn.Held turn = session.makeTurn().take()) {
      rc =
          runner.run(
              new CommandRunner.Invocation(
                  make, "Building module(s)", buildLog, true, dots, buildDir, env));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (rc != 0) {
      throw DkmsException.die(
          ExitCode.MAKE_FAILED,
          "Bad return status for module build on kernel: " + kernel + " (" + arch + ")",
          "Consult " + shownLog + " for more information.");
    }
  }

  /** {@code date} in the C locale, as bash dkms writes it into make.log. */
  static String dateLine() {
    return ZonedDateTime.now()
        .format(DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss zzz yyyy", Locale.ROOT));
  }
}
