package dev.jdkms.core.exec;

import dev.jdkms.core.console.Console;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * upstream's {@code invoke_command}: prints "DESCRIPTION..." (or the command with --verbose), runs
 * a shell command, and ends the line with " done." or "(bad exit status: N)" plus the failed
 * command. With a log file the command's output is appended there in upstream's block format (the
 * make.log API); in background mode a dot is printed every 3 seconds, or, without dots, the line is
 * written whole when the command ends.
 */
public final class CommandRunner {
  private final Console console;
  private final boolean verbose;

  public CommandRunner(Console console, boolean verbose) {
    this.console = console;
    this.verbose = verbose;
  }

  /** Java work standing in for a shell function upstream would eval (e.g. do_depmod). */
  @FunctionalInterface
  public interface Action {
    int run() throws IOException;
  }

  /** Options of one invocation. */
  public record Invocation(
      String command,
      String description,
      Path logFile,
      boolean background,
      boolean dots,
      Path cwd,
      ChildEnvironment environment) {}

  /** Runs {@code inv.command()} with {@code bash -c} and returns its exit status. */
  public int run(Invocation inv) throws IOException {
    return run(inv, () -> shell(inv));
  }

  /** Same console and log framing, but the work is done by {@code action}. */
  public int run(Invocation inv, Action action) throws IOException {
    // Without dots the line says nothing while the command runs, so it is written whole at the
    // end: the same bytes, but never left open for another build's line to land in.
    boolean whole = inv.background() && !verbose && !inv.dots();
    if (verbose) {
      console.println(inv.command());
    } else if (!whole) {
      console.print(inv.description() + "...");
    }
    ScheduledExecutorService dots = null;
    if (inv.background() && !verbose && inv.dots()) {
      dots =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "dkms-progress");
                t.setDaemon(true);
                return t;
              });
      dots.scheduleAtFixedRate(
          () -> {
            try {
              console.print(".");
            } catch (RuntimeException e) {
              // a closed console only loses progress dots
            }
          },
          3,
          3,
          TimeUnit.SECONDS);
    }
    int status;
    long start = System.nanoTime();
    try {
      if (inv.logFile() != null) {
        append(inv.logFile(), "\n" + inv.description() + "\n# command: " + inv.command() + "\n");
      }
      status = action.run();
      if (inv.logFile() != null) {
        long secs = (System.nanoTime() - start) / 1_000_000_000L;
        append(
            inv.logFile(),
            "\n# exit code: "
                + status
                + "\n# elapsed time: "
                + hms(Duration.ofSeconds(secs))
                + "\n----------------------------------------------------------------\n");
      }
    } finally {
      if (dots != null) {
        dots.shutdownNow();
      }
    }
    String opening = whole ? inv.description() + "..." : "";
    if (status > 0) {
      console.print(opening + "(bad exit status: " + status + ")");
      if (!verbose) {
        console.print("\nFailed command:\n" + inv.command() + "\n");
      }
    } else {
      console.println(opening + " done.");
    }
    return status;
  }

  private int shell(Invocation inv) throws IOException {
    List<String> argv =
        List.of(
            "bash",
            "-c",
            JobserverShell.wrap(inv.environment().get(JobserverShell.FIFO_ENV), inv.command()));
    Optional<PrivateView> view = PrivateView.of(inv.environment());
    ProcessBuilder pb = new ProcessBuilder(view.map(v -> v.wrap(argv, inv.cwd())).orElse(argv));
    inv.environment().applyTo(pb);
    if (view.isPresent()) {
      pb.directory(view.get().startDirectory());
    } else if (inv.cwd() != null) {
      pb.directory(inv.cwd().toFile());
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (inv.logFile() != null) {
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(inv.logFile().toFile()));
    } else if (inv.background() && !verbose) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    } else {
      pb.redirectOutput(console.childOut());
      pb.redirectError(console.childErr());
    }
    return waitFor(pb.start());
  }

  /** Waits for a process, keeping the interrupt flag. */
  public static int waitFor(Process p) throws IOException {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static String hms(Duration d) {
    long s = d.getSeconds();
    return String.format("%02d:%02d:%02d", (s / 3600) % 24, (s / 60) % 60, s % 60);
  }

  private static void append(Path log, String text) throws IOException {
    Files.writeString(
        log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
