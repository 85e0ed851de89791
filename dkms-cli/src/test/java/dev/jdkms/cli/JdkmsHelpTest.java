package dev.jdkms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jdkms --help} lists every command, and every command answers --help with exit 0. */
class JdkmsHelpTest {
  @Test
  void theOverviewListsEveryCommandTheEntryPointDispatches() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    JdkmsHelp.print(new PrintStream(b, true, StandardCharsets.UTF_8));
    String text = b.toString(StandardCharsets.UTF_8);
    for (String command :
        List.of(
            "transaction",
            "plan",
            "kabi check",
            "kabi weak-updates",
            "secureboot",
            "fleet build",
            "fleet source",
            "hook")) {
      assertThat(text).as(command).containsPattern("(?m)^  " + command + "\\b");
    }
    assertThat(text.lines()).allMatch(l -> l.length() <= 100, "lines fit a terminal");
  }

  @Test
  void transactionAndPlanAnswerHelp() {
    for (String command : List.of("transaction", "plan")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc =
          TransactionCommand.run(
              new String[] {command, "--help"}, Console.of(out, new ByteArrayOutputStream()));
      assertThat(rc).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: jdkms transaction|plan");
    }
  }

  @Test
  void hookAnswersHelp() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = HookCommand.run(List.of("--help"), Console.of(out, new ByteArrayOutputStream()));
    assertThat(rc).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: jdkms hook");
  }

  @Test
  void kabiItsCommandsAndSecurebootAnswerHelp() {
    for (String[] args :
        List.of(
            new String[] {"kabi", "--help"},
            new String[] {"kabi", "check", "--help"},
            new String[] {"kabi", "weak-updates", "--help"},
            new String[] {"secureboot", "--help"},
            new String[] {"fleet", "--help"},
            new String[] {"fleet", "build", "--help"},
            new String[] {"fleet", "source", "--help"})) {
      StringWriter out = new StringWriter();
      int rc = JdkmsCommand.run(args, new PrintWriter(out), new PrintWriter(new StringWriter()));
      assertThat(rc).as(String.join(" ", args)).isZero();
      assertThat(out.toString()).contains("Usage: jdkms " + args[0]);
    }
  }
}
