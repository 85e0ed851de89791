package dev.jdkms.tests.harness;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Several shell steps run one after the other in a single sandbox call, each with its own exit
 * code, stdout and stderr: a sandbox call costs a few hundred milliseconds, a test with fifteen
 * commands would spend seconds on set-up alone.
 *
 * <pre>
 * Batch b = new Batch(sb);
 * b.setup(Batch.copyFixture("dkms_jd_test-1.0"));      // must exit 0, else run() fails
 * Batch.Step add = b.step("dkms add dkms_jd_test/1.0");
 * b.run();
 * add.result().stdoutLines();
 * </pre>
 *
 * <p>Each step runs as {@code ( STEP )} in one bash, cwd {@code /}, stdin {@code /dev/null}, its
 * streams captured separately. A {@link Result}'s {@code output} is then stdout followed by stderr
 * (not interleaved): assert the two streams separately. Steps never stop the batch: every step runs
 * whatever the exit code of the previous ones.
 */
public final class Batch {
  private static final String MARK = "@@jdkms-batch-step";

  private final Sandbox sandbox;
  private final List<Step> steps = new ArrayList<>();
  private boolean ran;

  /** A batch run in {@code sandbox} (its state, environment and time limit). */
  public Batch(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  /** One step: its shell text and, after {@link #run()}, its result. */
  public static final class Step {
    private final String script;
    private final boolean mustSucceed;
    private Result result;

    private Step(String script, boolean mustSucceed) {
      this.script = script;
      this.mustSucceed = mustSucceed;
    }

    /** What the step did; only after {@link Batch#run()}. */
    public Result result() {
      if (result == null) {
        throw new IllegalStateException("the batch has not run yet: " + script);
      }
      return result;
    }

    @Override
    public String toString() {
      return script;
    }
  }

  /** Adds a step whose result the test inspects. */
  public Step step(String script) {
    requireNotRun();
    Step s = new Step(script, false);
    steps.add(s);
    return s;
  }

  /** Adds a preparation step that must exit 0: {@link #run()} fails otherwise. */
  public Step setup(String script) {
    requireNotRun();
    Step s = new Step(script, true);
    steps.add(s);
    return s;
  }

  /** Shell text copying fixture {@code name} of tests/fixtures into /usr/src. */
  public static String copyFixture(String name) {
    return "cp -a " + quote(Repo.fixture(name).toString()) + " /usr/src/";
  }

  /** {@code s} single-quoted for bash. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Runs every step in one sandbox call; fails if a {@link #setup} step did not exit 0. */
  public Batch run() {
    requireNotRun();
    ran = true;
    StringBuilder sh = new StringBuilder("D=$(mktemp -d)\n");
    for (int i = 0; i < steps.size(); i++) {
      sh.append("date +%s%N > \"$D/").append(i).append(".start\"\n");
      sh.append("(\n").append(steps.get(i).script).append("\n)");
      sh.append(" > \"$D/").append(i).append(".out\" 2> \"$D/").append(i).append(".err\"");
      sh.append(" < /dev/null\n");
      sh.append("echo $? > \"$D/").append(i).append(".rc\"\n");
      sh.append("date +%s%N > \"$D/").append(i).append(".end\"\n");
    }
    sh.append("for i in $(seq 0 ")
        .append(steps.size() - 1)
        .append("); do\n")
        .append("  echo \"")
        .append(MARK)
        .append(" $i $(cat \"$D/$i.rc\") $(cat \"$D/$i.start\") $(cat \"$D/$i.end\")\"\n")
        .append("  base64 -w0 \"$D/$i.out\"; echo; base64 -w0 \"$D/$i.err\"; echo\n")
        .append("done\n");
    Result all = sandbox.sh(sh.toString());
    List<String> lines = all.stdoutLines();
    int found = 0;
    for (int l = 0; l < lines.size(); l++) {
      if (!lines.get(l).startsWith(MARK + " ")) {
        continue;
      }
      String[] f = lines.get(l).split(" ");
      int i = Integer.parseInt(f[1]);
      int rc = Integer.parseInt(f[2]);
      long nanos = Long.parseLong(f[4]) - Long.parseLong(f[3]);
      String out = decode(lines.get(l + 1));
      String err = decode(lines.get(l + 2));
      Step s = steps.get(i);
      s.result =
          new Result(
              List.of("bash", "-c", s.script), rc, out + err, out, err, Duration.ofNanos(nanos));
      System.out.printf(
          "[batch] $ %s  -> exit %d, %d ms%n",
          s.script.replace("\n", "\\n"), rc, s.result.elapsed().toMillis());
      found++;
      l += 2;
    }
    if (found != steps.size()) {
      throw new AssertionError(
          "the batch did not report all of its " + steps.size() + " steps:\n" + all.describe());
    }
    for (Step s : steps) {
      if (s.mustSucceed && s.result.exitCode() != 0) {
        throw new AssertionError("a set-up step failed:\n" + s.result.describe());
      }
    }
    return this;
  }

  private void requireNotRun() {
    if (ran) {
      throw new IllegalStateException("a batch runs once");
    }
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
  }
}
