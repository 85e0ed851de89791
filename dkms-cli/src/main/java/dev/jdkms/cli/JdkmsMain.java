package dev.jdkms.cli;

import dev.jdkms.cli.kabi.KabiCommand;
import java.io.PrintWriter;

/**
 * Entry point of {@code jdkms}, the extras that upstream dkms does not have ({@code jdkms kabi
 * check ...}, and {@code jdkms transaction|plan}, see {@link TransactionCommand}). Uses picocli;
 * the drop-in {@code dkms} ({@link DkmsMain}) never loads this class, so its start-up stays free of
 * picocli's cost.
 */
@picocli.CommandLine.Command(
    name = "jdkms",
    mixinStandardHelpOptions = true,
    versionProvider = JdkmsMain.Version.class,
    description = "jdkms extras beyond the drop-in dkms command.",
    subcommands = {KabiCommand.class})
public final class JdkmsMain implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int status;
    try {
      status = dispatch(args);
    } catch (RuntimeException | OutOfMemoryError e) {
      // Outside picocli's handler (the transaction commands): one line, never a stack trace.
      System.err.println("Error! " + Unexpected.describe(e));
      status = Unexpected.STATUS;
    }
    System.exit(status);
  }

  private static int dispatch(String[] args) {
    // The transaction engine's commands parse by hand: hooks call them, so they skip picocli.
    if (args.length > 0 && (args[0].equals("transaction") || args[0].equals("plan"))) {
      return TransactionCommand.run(args, dev.jdkms.core.console.Console.system());
    }
    return run(
        args,
        new PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Runs the command line and returns the exit status (tests call this). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    picocli.CommandLine cl = new picocli.CommandLine(new JdkmsMain());
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
