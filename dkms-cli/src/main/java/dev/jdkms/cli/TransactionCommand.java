package dev.jdkms.cli;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.dkms.Startup;
import dev.jdkms.core.engine.Transaction;
import dev.jdkms.core.engine.TransactionReport;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.kernel.RunningKernel;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.plan.Plan;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code jdkms transaction} and {@code jdkms plan}: what the drop-in {@code dkms} has no command
 * line for. {@code jdkms transaction} runs one batch of kernel-lifecycle events through the planner
 * and the parallel executor (the same engine the package-manager hooks use); {@code jdkms plan}
 * only prints the plan.
 *
 * <pre>
 * jdkms transaction|plan [-j N] [--no-depmod] [--verbose] [--failures FILE] EVENT...
 *   --kernel-added K[=IMAGE]  --headers-added K  --kernel-upgraded K  --kernel-removed K
 *   --module-added M/V        --module-removed M/V  --boot [K]
 *   --paths-installed FILE|-  --paths-removed FILE|-  (files a package manager changed)
 * </pre>
 *
 * {@code --failures FILE} receives one {@code M/V KERNEL} line per module that failed, for the
 * adapters' exit-status policies, with a third word {@code boot-critical} when the module's
 * dkms.conf says REMAKE_INITRD=yes on a kernel that stays (the engine's own reading, /etc/dkms
 * overrides included).
 *
 * <p>Exit status: 0, 11 when a module failed, 2 on a usage error, else the failure's own status.
 */
public final class TransactionCommand {
  private TransactionCommand() {}

  static final String USAGE =
      "Usage: jdkms transaction|plan [-j N] [--no-depmod] [--verbose] [--failures FILE]"
          + " EVENT...\n"
          + "Events: --kernel-added K[=IMAGE] --headers-added K --kernel-upgraded K"
          + " --kernel-removed K\n"
          + "        --module-added M/V --module-removed M/V --boot [K]\n"
          + "        --paths-installed FILE|- --paths-removed FILE|-  (lists of changed files)\n";

  static int run(String[] args, Console out) {
    if (args.length == 0 || !(args[0].equals("transaction") || args[0].equals("plan"))) {
      out.printErr(USAGE);
      return ExitCode.USAGE;
    }
    if (args.length == 2 && JdkmsHelp.asked(args[1])) {
      out.print(USAGE);
      return 0;
    }
    boolean dryRun = args[0].equals("plan");
    List<Event> events = new ArrayList<>();
    List<String> installed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> stdin = null;
    Path failuresFile = null;
    DkmsRequest.Builder r = new DkmsRequest.Builder();
    r.action = "transaction";
    try {
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        String next = i + 1 < args.length ? args[i + 1] : null;
        switch (a) {
          case "-j" -> {
            r.parallelJobs = need(a, next);
            i++;
          }
          case "--no-depmod" -> r.noDepmod = true;
          case "--verbose" -> r.verbose = true;
          case "--failures" -> {
            failuresFile = Path.of(need(a, next));
            i++;
          }
          case "--kernel-added" -> {
            String v = need(a, next);
            i++;
            int eq = v.indexOf('=');
            events.add(
                eq < 0
                    ? new Event.KernelAdded(v, Optional.empty())
                    : new Event.KernelAdded(
                        v.substring(0, eq), Optional.of(Path.of(v.substring(eq + 1)))));
          }
          case "--headers-added" -> {
            events.add(new Event.HeadersAdded(need(a, next)));
            i++;
          }
          case "--kernel-upgraded" -> {
            events.add(new Event.KernelUpgraded(need(a, next)));
            i++;
          }
          case "--kernel-removed" -> {
            events.add(new Event.KernelRemoved(need(a, next)));
            i++;
          }
          case "--module-added", "--module-removed" -> {
            String mv = need(a, next);
            i++;
            int slash = mv.indexOf('/');
            if (slash <= 0 || slash == mv.length() - 1) {
              throw new IllegalArgumentException(a + " needs MODULE/VERSION, not " + mv);
            }
            String m = mv.substring(0, slash);
            String v = mv.substring(slash + 1);
            events.add(
                a.equals("--module-added")
                    ? new Event.ModuleAdded(m, v)
                    : new Event.ModuleRemoved(m, v));
          }
          case "--paths-installed", "--paths-removed" -> {
            String file = need(a, next);
            List<String> lines;
            if (file.equals("-")) {
              // read once; a second "-" gets the same lines
              stdin = stdin != null ? stdin : readPaths(file);
              lines = stdin;
            } else {
              lines = readPaths(file);
            }
            (a.equals("--paths-installed") ? installed : removed).addAll(lines);
            i++;
          }
          case "--boot" -> {
            if (next != null && !next.startsWith("-")) {
              events.add(new Event.BootCatchUp(next));
              i++;
            } else {
              events.add(new Event.BootCatchUp(running()));
            }
          }
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
      }
    } catch (IllegalArgumentException e) {
      out.printErr("jdkms: " + e.getMessage() + "\n" + USAGE);
      return ExitCode.USAGE;
    }
    try {
      ChildEnvironment env = ChildEnvironment.fromProcess();
      Startup startup = Startup.read(out, env);
      Session s = Startup.session(out, env, startup, r.build());
      Transaction t = new Transaction(s);
      List<Event> all = t.withChangedPaths(events, installed, removed);
      if (dryRun) {
        Plan p = t.plan(all);
        out.print(p.describe());
        return 0;
      }
      Transaction.Outcome o = t.run(all);
      if (failuresFile != null) {
        List<String> failed = TransactionReport.failures(o);
        Files.writeString(failuresFile, failed.isEmpty() ? "" : String.join("\n", failed) + "\n");
      }
      TransactionReport.print(out, o);
      return o.status();
    } catch (DkmsException e) {
      if (!e.isPrinted()) {
        out.error(e.lines().toArray(new String[0]));
      }
      return e.exitCode();
    } catch (IOException | UncheckedIOException e) {
      out.error("jdkms: " + e.getMessage());
      return ExitCode.FAILURE;
    }
  }

  /** The lines of FILE, or of standard input for {@code -}. */
  private static List<String> readPaths(String file) {
    try {
      return file.equals("-")
          ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
          : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the path list " + file + ": " + e.getMessage());
    }
  }

  private static String need(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs an argument");
    }
    return value;
  }

  private static String running() {
    return RunningKernel.release();
  }
}
