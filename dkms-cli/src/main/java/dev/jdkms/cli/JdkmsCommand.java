package dev.jdkms.cli;

import dev.jdkms.cli.fleet.FleetCommand;
import dev.jdkms.cli.kabi.KabiCommand;
import java.io.PrintWriter;

/**
 * The interactive commands of {@code jdkms} ({@code jdkms kabi check ...}), with picocli. Only
 * {@link JdkmsMain} loads this class, and only for them: the drop-in {@code dkms}, the hooks and
 * {@code jdkms transaction|plan} stay free of picocli's start-up cost.
 */
@picocli.CommandLine.Command(
    name = "jdkms",
    mixinStandardHelpOptions = true,
    versionProvider = JdkmsCommand.Version.class,
    description = "jdkms extras beyond the drop-in dkms command.",
    subcommands = {KabiCommand.class, SecureBootCommand.class, FleetCommand.class})
public final class JdkmsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** Runs the command line and returns the exit status (tests call this). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    picocli.CommandLine cl = new picocli.CommandLine(new JdkmsCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println(Unexpected.describe(e));
          return Unexpected.STATUS;
        });
    int rc;
    try {
      rc = cl.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli passes only exceptions to the handler; an Error would print its stack trace.
      err.println(Unexpected.describe(e));
      rc = Unexpected.STATUS;
    }
    out.flush();
    err.flush();
    return rc;
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** The version line: jdkms's own, and the dkms release it is a drop-in for. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "jdkms "
            + dev.jdkms.core.BuildInfo.JDKMS_VERSION
            + " (drop-in for "
            + DkmsMain.VERSION
            + ")"
      };
    }
  }
}
