package dev.jdkms.core.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs real bash (and child JVMs) for tests that compare against shell semantics. */
public final class Sh {
  private Sh() {}

  /** What a finished process left behind. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code bash -c script} in the C locale (how the tests pin glob and string order) with
   * {@code args} as {@code $1...}; fails the test on a non-zero status and returns stdout.
   */
  public static String bash(String script, String... args) {
    Result r = run(script, args);
    assertThat(r.exitCode()).as("bash exit status, stderr:%n%s", r.stderr()).isZero();
    return r.stdout();
  }

  /** Runs {@code bash -c script} in the C locale and returns everything it did. */
  public static Result run(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", script, "test"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LC_ALL", "C");
    return finish(pb);
  }

  /**
   * Starts {@code main} in a separate JVM with the test class path (for what cannot be observed
   * inside this JVM: inherited stderr, per-process file locks).
   */
  public static ProcessBuilder java(Class<?> main, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", cp));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /** Runs a prepared process to its end, collecting both streams. */
  public static Result finish(ProcessBuilder pb) {
    try {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Process p = pb.start();
      CompletableFuture<byte[]> err =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      byte[] out = p.getInputStream().readAllBytes();
      int status = p.waitFor();
      return new Result(
          status,
          new String(out, StandardCharsets.UTF_8),
          new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + pb.command() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
