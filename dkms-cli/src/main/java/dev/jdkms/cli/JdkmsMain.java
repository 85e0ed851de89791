package dev.jdkms.cli;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.ExitCode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of {@code jdkms}, the extras that upstream dkms does not have. Package managers call
 * {@code jdkms hook ...} ({@link HookCommand}) and {@code jdkms transaction|plan} ({@link
 * TransactionCommand}) on every kernel or module change: they are parsed by hand and dispatched
 * here before anything of picocli is loaded (its classes alone cost start-up time); the interactive
 * commands go to {@link JdkmsCommand}.
 */
public final class JdkmsMain {
  private JdkmsMain() {}

  public static void main(String[] args) {
    int status;
    try {
      status = dispatch(args);
    } catch (RuntimeException | OutOfMemoryError e) {
      // Outside picocli's handler (hooks, transactions): one line, never a stack trace.
      System.err.println("Error! " + Unexpected.describe(e));
      status = Unexpected.STATUS;
    }
    System.exit(status);
  }

  private static int dispatch(String[] args) {
    String command = args.length > 0 ? args[0] : "";
    if (command.isEmpty() || JdkmsHelp.asked(command)) {
      JdkmsHelp.print(System.out);
      return command.isEmpty() ? ExitCode.USAGE : ExitCode.SUCCESS;
    }
    if (command.equals("hook")) {
      return HookCommand.main(args);
    }
    if (command.equals("transaction") || command.equals("plan")) {
      return TransactionCommand.run(args, Console.system());
    }
    return JdkmsCommand.run(
        args,
        new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8));
  }
}
