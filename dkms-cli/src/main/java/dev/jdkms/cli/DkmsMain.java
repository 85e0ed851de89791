package dev.jdkms.cli;

import dev.jdkms.core.actions.Usage;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.dkms.Dkms;
import dev.jdkms.core.dkms.Startup;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Entry point of the drop-in {@code dkms}. The one place that turns outcomes into exit statuses:
 * domain failures print upstream's message and exit with its status; anything unexpected prints one
 * line (never a stack trace) and exits 1.
 */
public final class DkmsMain {
  static final String VERSION = "dkms-" + dev.jdkms.core.BuildInfo.DKMS_VERSION;

  private DkmsMain() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args, Console.system());
    } catch (RuntimeException | Error e) {
      // Even reporting failed (e.g. stderr is a closed pipe): exit without a stack trace.
      status = Unexpected.STATUS;
    }
    System.exit(status);
  }

  static int run(String[] args, Console console) {
    Console out = console;
    try {
      ChildEnvironment env = ChildEnvironment.fromProcess();
      Startup startup = Startup.read(out, env);
      CommandLine cl = new CommandLine(out);
      CommandLine.Outcome outcome;
      try {
        outcome = cl.parse(args);
      } finally {
        out = cl.console();
      }
      switch (outcome) {
        case VERSION -> {
          out.println(VERSION);
          return 0;
        }
        case HELP -> {
          Usage.print(out);
          return 0;
        }
        case UNKNOWN_OPTION -> {
          out.error("Unknown option: " + cl.unknownOption());
          Usage.print(out);
          return ExitCode.USAGE;
        }
        default -> {}
      }
      Session session = Startup.session(out, env, startup, cl.request());
      try {
        return Dkms.run(session);
      } catch (DkmsException e) {
        session.report(e);
        return e.exitCode();
      }
    } catch (DkmsException e) {
      if (!e.isPrinted()) {
        if (e.isWarning()) {
          out.warn(e.lines().toArray(new String[0]));
        } else {
          out.error(e.lines().toArray(new String[0]));
        }
      }
      return e.exitCode();
    } catch (IOException | UncheckedIOException e) {
      out.error("jdkms: " + e.getMessage());
      return Unexpected.STATUS;
    } catch (RuntimeException | OutOfMemoryError e) {
      out.error(Unexpected.describe(e));
      return Unexpected.STATUS;
    }
  }
}
