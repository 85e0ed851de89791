package dev.jdkms.core.build;

import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * upstream's {@code run_build_script}: PRE_BUILD/POST_BUILD run from the build dir and are logged
 * into make.log; POST_ADD/PRE_INSTALL/POST_INSTALL/POST_REMOVE run from the source dir with their
 * output on the console. An executable of the same name in {@code /etc/dkms/<module>/} wins.
 */
public final class ScriptRunner {
  private final Session session;
  private final String module;
  private final String version;
  private final ChildEnvironment env;
  private final BuildArea area;

  public ScriptRunner(Session session, String module, String version, ChildEnvironment env) {
    this(session, module, version, env, null);
  }

  private ScriptRunner(
      Session session, String module, String version, ChildEnvironment env, BuildArea area) {
    this.session = session;
    this.module = module;
    this.version = version;
    this.env = env;
    this.area = area;
  }

  /** The same runner for the build scripts of a build in {@code area}. */
  public ScriptRunner in(BuildArea area) {
    return new ScriptRunner(session, module, version, env, area);
  }

  private record Resolved(Path runDir, String run) {}

  private Resolved resolve(String type, String script) {
    boolean build = type.equals("pre_build") || type.equals("post_build");
    Path runDir = session.tree().versionDir(module, version).resolve(build ? "build" : "source");
    String first = script.contains(" ") ? script.substring(0, script.indexOf(' ')) : script;
    // Path.of joins: an absolute script name stays under /etc/dkms/M, as upstream's string does
    Path override = Path.of(session.host().etcDkms().toString(), module, first);
    if (Files.isExecutable(override) && !Files.isDirectory(override)) {
      runDir = session.host().etcDkms().resolve(module);
    }
    return new Resolved(runDir, runDir + "/" + script);
  }

  /** Whether the script a command names is executable, found where this process sees it. */
  private boolean executable(String run) {
    String first = run.contains(" ") ? run.substring(0, run.indexOf(' ')) : run;
    Path p = area == null ? Path.of(first) : area.local(Path.of(first));
    return Files.isExecutable(p) && !Files.isDirectory(p);
  }

  /** A build script, logged into {@code log}; a failure ends the build with its status. */
  public void runLogged(String type, String script, Path log, boolean dots)
      throws DkmsException, IOException {
    if (script.isEmpty()) {
      return;
    }
    Resolved r = resolve(type, script);
    if (!executable(r.run())) {
      notExecutable(type);
      return;
    }
    int rc =
        new CommandRunner(session.console(), session.verbose())
            .run(
                new CommandRunner.Invocation(
                    "cd " + r.runDir() + "/ && " + r.run(),
                    "Running the " + type + " script",
                    log,
                    true,
                    dots,
                    null,
                    env));
    if (rc != 0) {
      session
          .console()
          .println("Consult " + (area == null ? log : area.shown(log)) + " for more information.");
      throw DkmsException.silent(rc);
    }
  }

  /** A source-dir script with console output; returns its exit status (0 when absent). */
  public int run(String type, String script) throws IOException {
    if (script.isEmpty()) {
      return 0;
    }
    Resolved r = resolve(type, script);
    if (!executable(r.run())) {
      notExecutable(type);
      return 0;
    }
    session.console().println("Running the " + type + " script:");
    // upstream's `exec $run` from the run dir: the unquoted word is split and its globs are
    // expanded (extglob on, as in dkms), but not eval'ed. bash does exactly that.
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-O", "extglob", "-c", "exec $1", "dkms", r.run());
    env.applyTo(pb);
    pb.directory(r.runDir().toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(session.console().childOut());
    pb.redirectError(session.console().childErr());
    try {
      return CommandRunner.waitFor(pb.start());
    } catch (IOException e) {
      session.console().errln(r.run() + ": " + e.getMessage());
      return 126;
    }
  }

  private void notExecutable(String type) {
    session.console().println("");
    session.console().warn("The " + type + " script is not executable.");
  }
}
