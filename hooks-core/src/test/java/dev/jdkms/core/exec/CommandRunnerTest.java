package dev.jdkms.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
  static final String DASHES = "-".repeat(64);

  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Console console = Console.of(out, err);
  final ChildEnvironment env = ChildEnvironment.fromProcess();

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private CommandRunner.Invocation inv(String cmd, String desc, Path log) {
    return new CommandRunner.Invocation(cmd, desc, log, false, false, null, env);
  }

  @Test
  void successPrintsDescriptionAndDone() throws IOException {
    Path marker = dir.resolve("ran");
    int status =
        new CommandRunner(console, false)
            .run(inv("touch '" + marker + "'", "Running the post_add script", null));
    assertThat(status).isZero();
    assertThat(stdout()).isEqualTo("Running the post_add script... done.\n");
    assertThat(marker).exists();
    assertThat(err.size()).isZero();
  }

  @Test
  void failurePrintsStatusAndTheFailedCommand() throws IOException {
    int status = new CommandRunner(console, false).run(inv("exit 3", "Building module(s)", null));
    assertThat(status).isEqualTo(3);
    assertThat(stdout())
        .isEqualTo("Building module(s)...(bad exit status: 3)\nFailed command:\nexit 3\n");
  }

  @Test
  void verbosePrintsTheCommandInsteadOfTheDescription() throws IOException {
    CommandRunner verbose = new CommandRunner(console, true);
    assertThat(verbose.run(inv("true", "Doing it", null))).isZero();
    assertThat(stdout()).isEqualTo("true\n done.\n");
    out.reset();
    assertThat(verbose.run(inv("false", "Doing it", null))).isEqualTo(1);
    // no line end and no "Failed command:" with --verbose, as upstream
    assertThat(stdout()).isEqualTo("false\n(bad exit status: 1)");
  }

  @Test
  void logBlockFormat() throws IOException {
    Path log = dir.resolve("make.log");
    Files.writeString(log, "DKMS make.log header\n");
    int status =
        new CommandRunner(console, false)
            .run(
                inv(
                    "echo to-stdout; echo to-stderr >&2; echo again; exit 2",
                    "Building module(s)",
                    log));
    assertThat(status).isEqualTo(2);
    assertThat(Files.readString(log))
        .isEqualTo(
            "DKMS make.log header\n"
                + "\nBuilding module(s)\n"
                + "# command: echo to-stdout; echo to-stderr >&2; echo again; exit 2\n"
                + "to-stdout\nto-stderr\nagain\n"
                + "\n# exit code: 2\n"
                + "# elapsed time: 00:00:00\n"
                + DASHES
                + "\n");
    // the command's output went to the log only
    assertThat(stdout())
        .isEqualTo(
            "Building module(s)...(bad exit status: 2)\nFailed command:\n"
                + "echo to-stdout; echo to-stderr >&2; echo again; exit 2\n");
  }

  @Test
  void logBlocksAppendAndCreateTheFile() throws IOException {
    Path log = dir.resolve("new.log");
    CommandRunner r = new CommandRunner(console, false);
    r.run(inv("printf 'no newline'", "First", log));
    r.run(inv("true", "Second", log));
    assertThat(Files.readString(log))
        .isEqualTo(
            "\nFirst\n# command: printf 'no newline'\nno newline\n# exit code: 0\n"
                + "# elapsed time: 00:00:00\n"
                + DASHES
                + "\n\nSecond\n# command: true\n\n# exit code: 0\n"
                + "# elapsed time: 00:00:00\n"
                + DASHES
                + "\n");
    assertThat(stdout()).isEqualTo("First... done.\nSecond... done.\n");
  }

  @Test
  void workingDirectoryAndEnvironment() throws IOException {
    Path log = dir.resolve("env.log");
    Map<String, String> base = new HashMap<>(System.getenv());
    base.put("CC", "evil-cc");
    base.put("CFLAGS", "-O0");
    base.put("KEEP", "kept");
    ChildEnvironment e = ChildEnvironment.of(base).with(Map.of("KERNEL_CC", "gcc-12"));
    Path cwd = Files.createDirectory(dir.resolve("build"));
    new CommandRunner(console, false)
        .run(
            new CommandRunner.Invocation(
                "echo \"$PWD ${CC-unset} ${CFLAGS-unset} $KEEP $KERNEL_CC\"",
                "Env",
                log,
                false,
                false,
                cwd,
                e));
    assertThat(Files.readString(log)).contains("\n" + cwd + " unset unset kept gcc-12\n");
  }

  @Test
  void actionsGetTheSameFraming() throws IOException {
    Path log = dir.resolve("depmod.log");
    CommandRunner r = new CommandRunner(console, false);
    assertThat(r.run(inv("depmod -a 6.1", "Running depmod", log), () -> 0)).isZero();
    assertThat(r.run(inv("depmod -a 6.1", "Running depmod", null), () -> 4)).isEqualTo(4);
    assertThat(stdout())
        .isEqualTo(
            "Running depmod... done.\n"
                + "Running depmod...(bad exit status: 4)\nFailed command:\ndepmod -a 6.1\n");
    assertThat(Files.readString(log))
        .isEqualTo(
            "\nRunning depmod\n# command: depmod -a 6.1\n\n# exit code: 0\n"
                + "# elapsed time: 00:00:00\n"
                + DASHES
                + "\n");
  }

  @Test
  void backgroundWithoutDotsPrintsNothingExtra() throws IOException {
    int status =
        new CommandRunner(console, false)
            .run(
                new CommandRunner.Invocation(
                    "echo hidden; sleep 0.2", "Quiet", null, true, false, null, env));
    assertThat(status).isZero();
    assertThat(stdout()).isEqualTo("Quiet... done.\n");
  }

  @Test
  void withoutDotsTheLineIsWrittenWholeWhenTheCommandEnds() throws IOException {
    // another build's progress line written meanwhile must not land inside an open line
    CommandRunner runner = new CommandRunner(console, false);
    assertThat(
            runner.run(
                new CommandRunner.Invocation("true", "Quiet", null, true, false, null, env),
                () -> {
                  assertThat(stdout()).as("nothing while it runs").isEmpty();
                  return 0;
                }))
        .isZero();
    assertThat(
            runner.run(
                new CommandRunner.Invocation("exit 2", "Failing", null, true, false, null, env)))
        .isEqualTo(2);
    assertThat(stdout())
        .isEqualTo("Quiet... done.\nFailing...(bad exit status: 2)\nFailed command:\nexit 2\n");
  }

  @Test
  void signalledCommandsReportBashsStatus() throws IOException {
    int status = new CommandRunner(console, false).run(inv("kill -9 $$", "Killed", null));
    assertThat(status).isEqualTo(137);
    assertThat(stdout()).startsWith("Killed...(bad exit status: 137)\n");
  }

  @Test
  void elapsedTimeIsHoursMinutesSecondsOfADay() {
    assertThat(CommandRunner.hms(Duration.ZERO)).isEqualTo("00:00:00");
    assertThat(CommandRunner.hms(Duration.ofSeconds(3661))).isEqualTo("01:01:01");
    assertThat(CommandRunner.hms(Duration.ofSeconds(59 * 60 + 59))).isEqualTo("00:59:59");
    // date -u +%T wraps at a day
    assertThat(CommandRunner.hms(Duration.ofSeconds(86400 + 5))).isEqualTo("00:00:05");
  }
}
