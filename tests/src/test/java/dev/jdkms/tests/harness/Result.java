package dev.jdkms.tests.harness;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What a command run in a {@link Sandbox} did.
 *
 * @param command the command, as run inside the sandbox
 * @param exitCode its exit status (128+N when killed by signal N)
 * @param output stdout and stderr merged line by line in arrival order (a line is never split, but
 *     the order of lines written to both streams at the same moment is not guaranteed)
 * @param stdout standard output
 * @param stderr standard error
 * @param elapsed wall time of the whole sandbox call
 */
public record Result(
    List<String> command,
    int exitCode,
    String output,
    String stdout,
    String stderr,
    Duration elapsed) {

  /** {@link #output()} as lines (no trailing empty line for a final newline). */
  public List<String> outputLines() {
    return lines(output);
  }

  /** {@link #stdout()} as lines. */
  public List<String> stdoutLines() {
    return lines(stdout);
  }

  /** {@link #stderr()} as lines. */
  public List<String> stderrLines() {
    return lines(stderr);
  }

  /** Returns this if the exit code is 0, else throws an AssertionError describing the run. */
  public Result requireSuccess() {
    if (exitCode != 0) {
      throw new AssertionError("command failed:\n" + describe());
    }
    return this;
  }

  /** The command, exit code, time and merged output: for assertion messages. */
  public String describe() {
    return "$ "
        + String.join(" ", command)
        + "\n(exit "
        + exitCode
        + ", "
        + elapsed.toMillis()
        + " ms)\n--- stdout+stderr ---\n"
        + output
        + (output.isEmpty() || output.endsWith("\n") ? "" : "\n")
        + "--- stderr ---\n"
        + stderr
        + (stderr.isEmpty() || stderr.endsWith("\n") ? "" : "\n")
        + "---";
  }

  @Override
  public String toString() {
    return describe();
  }

  static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return Arrays.asList(t.split("\n", -1));
  }
}
