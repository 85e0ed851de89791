package dev.jdkms.tests.harness;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A disposable root filesystem for one test: a Java front end to {@code tests/sandbox/sandbox}.
 *
 * <p>Every {@link #run} is a separate sandbox call (a fresh mount and PID namespace, the command as
 * PID 1, chrooted into an overlay of the host's {@code /}) sharing one state directory: the
 * overlay's upper layer is {@code stateDir/upper}, so what one call writes the next call sees, and
 * the host never changes. The checkout ({@link Repo#root()}) is always visible inside at its host
 * path (through {@code --expose}), so fixtures can be copied from it. Instances are immutable; the
 * {@code with*} methods return modified copies that share the state directory.
 */
public final class Sandbox {
  /** Default limit for one command. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /** Exit status of tests/sandbox/sandbox when the sandbox itself could not be set up. */
  public static final int SETUP_FAILED = 125;

  private static final boolean VERBOSE = System.getenv("JDKMS_IT_VERBOSE") != null;

  private final Path stateDir;
  private final List<String> options;
  private final String cwd;
  private final Duration timeout;

  /**
   * A sandbox whose state lives in {@code stateDir} (created if missing; may already hold state).
   */
  public Sandbox(Path stateDir) {
    this(stateDir, List.of(), "/", DEFAULT_TIMEOUT);
  }

  private Sandbox(Path stateDir, List<String> options, String cwd, Duration timeout) {
    this.stateDir = stateDir.toAbsolutePath();
    this.options = List.copyOf(options);
    this.cwd = cwd;
    this.timeout = timeout;
  }

  /** The state directory: {@code upper/} and {@code work/} of the overlay, {@code binds/}. */
  public Path stateDir() {
    return stateDir;
  }

  /**
   * Where a file written inside the sandbox at {@code absolutePath} is stored on the host (the
   * upper layer). Only files written or deleted inside are there; a deleted file is an overlay
   * whiteout (a 0:0 character device). To test for existence use {@link #exists}.
   */
  public Path upper(String absolutePath) {
    return stateDir.resolve("upper").resolve(absolutePath.replaceFirst("^/+", ""));
  }

  /** A copy with {@code NAME=VALUE} added to the environment of the commands. */
  public Sandbox withEnv(String name, String value) {
    return withOptions("--env", name + "=" + value);
  }

  /** A copy that also makes host directory {@code dir} visible (copy-on-write) inside. */
  public Sandbox withBind(Path dir) {
    return withOptions("--bind", dir.toAbsolutePath().toString());
  }

  /**
   * A copy whose lower layer is another root filesystem (a {@link DebianRoot}) instead of the
   * host's; the checkout and ../shared stay visible at their host paths.
   */
  public Sandbox withRoot(Path root) {
    return withOptions("--root", root.toAbsolutePath().toString());
  }

  /** A copy whose commands start in {@code dir} (inside the sandbox). */
  public Sandbox withCwd(String dir) {
    return new Sandbox(stateDir, options, dir, timeout);
  }

  /** A copy with another time limit per command. */
  public Sandbox withTimeout(Duration limit) {
    return new Sandbox(stateDir, options, cwd, limit);
  }

  private Sandbox withOptions(String... more) {
    List<String> o = new ArrayList<>(options);
    o.addAll(List.of(more));
    return new Sandbox(stateDir, o, cwd, timeout);
  }

  /**
   * A new sandbox in {@code newStateDir} that starts from a copy of this one's state (cp -a keeps
   * the overlay's whiteouts and xattrs). Cheap way to give each test the same prepared system.
   */
  public Sandbox fork(Path newStateDir) {
    try {
      Files.createDirectories(newStateDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String layer : List.of("upper", "binds")) {
      Path from = stateDir.resolve(layer);
      if (Files.isDirectory(from)) {
        host("cp", "-a", "--reflink=auto", from.toString(), newStateDir.toString());
      }
    }
    return new Sandbox(newStateDir, options, cwd, timeout);
  }

  /** Runs a command inside; never throws for a non-zero exit code. */
  public Result run(String... command) {
    return run(List.of(command));
  }

  /** Runs {@code bash -c script} inside. */
  public Result sh(String script) {
    return run("bash", "-c", script);
  }

  /** True if {@code path} exists inside the sandbox (a dangling symlink counts as existing). */
  public boolean exists(String path) {
    return run("sh", "-c", "[ -e \"$1\" ] || [ -L \"$1\" ]", "exists", path).exitCode() == 0;
  }

  /** The contents of a file inside the sandbox; fails the test if it cannot be read. */
  public String readFile(String path) {
    return run("cat", "--", path).requireSuccess().stdout();
  }

  /** Copies a fixture directory of tests/fixtures into {@code destDir} inside (e.g. /usr/src). */
  public void addFixture(String fixture, String destDir) {
    run("cp", "-a", Repo.fixture(fixture).toString(), destDir + "/").requireSuccess();
  }

  /** Runs a command inside; never throws for a non-zero exit code. */
  public Result run(List<String> command) {
    List<String> argv = new ArrayList<>();
    argv.add(Repo.sandboxScript().toString());
    argv.addAll(List.of("--state", stateDir.toString(), "--expose", Repo.root().toString()));
    argv.addAll(List.of("--expose", Repo.shared().toString()));
    argv.addAll(options);
    argv.addAll(List.of("--cwd", cwd, "--"));
    argv.addAll(command);
    long t0 = System.nanoTime();
    Process p;
    try {
      p =
          new ProcessBuilder(argv)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv, e);
    }
    StringBuilder merged = new StringBuilder();
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    Thread to = pump(p.getInputStream(), out, merged);
    Thread te = pump(p.getErrorStream(), err, merged);
    int code;
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroy(); // SIGTERM: the sandbox script kills the whole namespace and cleans up
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        to.join(5000);
        te.join(5000);
        throw new AssertionError(
            "timed out after " + timeout + ":\n" + result(command, -1, merged, out, err, t0));
      }
      code = p.exitValue();
      to.join();
      te.join();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Result r = result(command, code, merged, out, err, t0);
    System.out.printf(
        "[sandbox] $ %s  -> exit %d, %d ms%n",
        String.join(" ", command), code, r.elapsed().toMillis());
    if (VERBOSE) {
      System.out.print(r.output());
    }
    if (code == SETUP_FAILED && r.stderr().contains("sandbox: ")) {
      throw new IllegalStateException("the sandbox could not be set up:\n" + r.describe());
    }
    return r;
  }

  private static Result result(
      List<String> command,
      int code,
      StringBuilder merged,
      StringBuilder out,
      StringBuilder err,
      long t0) {
    synchronized (merged) {
      return new Result(
          List.copyOf(command),
          code,
          merged.toString(),
          out.toString(),
          err.toString(),
          Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  /**
   * Copies a stream line by line into {@code own} and (whole lines, in arrival order) {@code
   * merged}.
   */
  private static Thread pump(InputStream in, StringBuilder own, StringBuilder merged) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                int c;
                StringBuilder line = new StringBuilder();
                while ((c = r.read()) != -1) {
                  line.append((char) c);
                  if (c == '\n') {
                    flush(line, own, merged);
                  }
                }
                flush(line, own, merged);
              } catch (IOException e) {
                synchronized (merged) {
                  merged.append("[harness: read error ").append(e).append("]\n");
                }
              }
            },
            "sandbox-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void flush(StringBuilder line, StringBuilder own, StringBuilder merged) {
    if (line.length() == 0) {
      return;
    }
    synchronized (merged) {
      own.append(line);
      merged.append(line);
    }
    line.setLength(0);
  }

  /** Runs a command on the host (not sandboxed), for harness housekeeping. */
  static void host(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a state directory (as root: the overlay's work dir and whiteouts need it). */
  public static void delete(Path dir) {
    if (Files.exists(dir)) {
      host("rm", "-rf", "--one-file-system", "--", dir.toString());
    }
  }

  @Override
  public String toString() {
    return "Sandbox[" + stateDir + "]";
  }
}
