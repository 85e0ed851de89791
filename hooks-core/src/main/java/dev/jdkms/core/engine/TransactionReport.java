package dev.jdkms.core.engine;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.initramfs.InitramfsPolicy;
import dev.jdkms.core.plan.BuildSteps;
import dev.jdkms.core.plan.KernelOutcome;
import dev.jdkms.core.plan.UnitOutcome;
import dev.jdkms.core.plan.UnitOutcome.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a {@link Transaction.Outcome} tells a person (the summary table) and an adapter. */
public final class TransactionReport {
  private TransactionReport() {}

  /** Per module and kernel what happened, with a failed build's first error and log path. */
  /** Prints the summary under {@code jdkms transaction:}, nothing when there is none. */
  public static void print(Console out, Transaction.Outcome o) {
    String report = report(o);
    if (!report.isEmpty()) {
      out.print("jdkms transaction:\n" + report);
    }
  }

  public static String report(Transaction.Outcome o) {
    StringBuilder b = new StringBuilder();
    for (KernelOutcome k : o.kernels()) {
      for (UnitOutcome u : k.units()) {
        b.append(String.format(Locale.ROOT, "%-32s %-24s ", u.unit(), k.job().kernel()));
        b.append(describe(u));
        b.append('\n');
        u.failure()
            .ifPresent(
                f -> {
                  for (String line : f.excerpt()) {
                    b.append("    | ").append(line).append('\n');
                  }
                  b.append("    log: ").append(f.log()).append('\n');
                });
      }
    }
    for (WeakLinksStep.Result w : o.weakLinks()) {
      String line = w.describe();
      if (!line.isEmpty()) {
        b.append(line).append('\n');
      }
    }
    for (InitramfsPolicy.Decision d : o.initramfs()) {
      b.append("initramfs of ")
          .append(d.kernel())
          .append(d.regenerate() ? ": rebuilt (" : ": left as is (")
          .append(d.reason())
          .append(")\n");
    }
    for (String p : o.problems()) {
      b.append(p).append('\n');
    }
    for (String c : o.bootCriticalFailed()) {
      b.append("boot-critical module failed (REMAKE_INITRD=yes): ")
          .append(c.replace(" ", " on "))
          .append('\n');
    }
    return b.toString();
  }

  private static String describe(UnitOutcome u) {
    String time =
        u.buildMillis() > 0
            ? String.format(Locale.ROOT, ", built in %.1f s", u.buildMillis() / 1000.0)
            : "";
    return switch (u.result()) {
      case INSTALLED -> "installed" + time;
      case SKIPPED -> "skipped (BUILD_EXCLUSIVE: not for this kernel)";
      case BUILD_FAILED -> "build failed (exit " + u.status() + ")" + time;
      case INSTALL_FAILED -> "install failed (exit " + u.status() + ")";
      case MISSING_DEPENDENCIES ->
          "not installed: BUILD_DEPENDS " + String.join(" ", u.waitingFor()) + " not installed";
      case DEFERRED ->
          "deferred: BUILD_DEPENDS " + String.join(" ", u.waitingFor()) + " not registered yet";
      case NOT_RUN -> "not run (the kernel could not be prepared)";
    };
  }

  /**
   * {@code M/V K} for every module that failed on a kernel (build, install, missing dependencies,
   * or its kernel could not be prepared): what an adapter's exit-status policy looks at. A third
   * word {@code boot-critical} marks a module whose dkms.conf says REMAKE_INITRD=yes (with the
   * /etc/dkms overrides) on a kernel that stays.
   */
  public static List<String> failures(Transaction.Outcome o) {
    List<String> out = new ArrayList<>();
    for (KernelOutcome k : o.kernels()) {
      for (UnitOutcome u : k.units()) {
        switch (u.result()) {
          case BUILD_FAILED, INSTALL_FAILED, MISSING_DEPENDENCIES, NOT_RUN -> {
            String line = u.unit() + " " + k.job().kernel();
            out.add(o.bootCriticalFailed().contains(line) ? line + " boot-critical" : line);
          }
          default -> {}
        }
      }
    }
    return out;
  }

  /**
   * A module that failed on a kernel, as an adapter reports it: {@code outcome} is the summary's
   * word for it without the build time ({@code build failed (exit 10)}), {@code log} the kept
   * make.log when there is one.
   */
  public record FailedUnit(
      String module, String kernel, boolean bootCritical, String outcome, Optional<Path> log) {}

  /** The same modules as {@link #failures}, typed, for adapters that word their own messages. */
  public static List<FailedUnit> failedUnits(Transaction.Outcome o) {
    List<FailedUnit> out = new ArrayList<>();
    for (KernelOutcome k : o.kernels()) {
      for (UnitOutcome u : k.units()) {
        switch (u.result()) {
          case BUILD_FAILED, INSTALL_FAILED, MISSING_DEPENDENCIES, NOT_RUN -> {
            String kernel = k.job().kernel();
            String unit = u.unit().toString();
            boolean critical = o.bootCriticalFailed().contains(unit + " " + kernel);
            String outcome = describe(u).replaceFirst(", built in .*$", "");
            out.add(
                new FailedUnit(
                    unit, kernel, critical, outcome, u.failure().map(BuildSteps.Failure::log)));
          }
          default -> {}
        }
      }
    }
    return out;
  }

  /** Whether any unit ended in {@code r} (tests, adapters). */
  public static boolean any(Transaction.Outcome o, Result r) {
    return o.kernels().stream().flatMap(k -> k.units().stream()).anyMatch(u -> u.result() == r);
  }
}
