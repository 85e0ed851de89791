package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationCacheTest {
  @TempDir Path dir;

  @Test
  void aRepeatedEvaluationRunsBashOnceAndShowsItsStderrEveryTime() throws Exception {
    Path runs = dir.resolve("runs");
    Path conf = dir.resolve("dkms.conf");
    // Sourcing has a side effect (counts runs) and needs bash (not the declarative fast path).
    Files.writeString(
        conf,
        "echo run >> " + runs + "\nPACKAGE_NAME=m$((1+1))\nCLEAN=\"make clean\"\n",
        StandardCharsets.UTF_8);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console console = Console.of(new ByteArrayOutputStream(), err);
    EvaluationCache cache = new EvaluationCache();
    ChildEnvironment env = ChildEnvironment.of(Map.of("PATH", System.getenv("PATH")));
    Map<String, String> ctx = Map.of("kernelver", "6.1");
    List<String> accepted = List.of("PACKAGE_NAME", "CLEAN");

    ShellVariables first =
        new ShellEvaluator(console, env, cache).evaluate(List.of(conf), ctx, accepted, true, true);
    // The executor's own variables do not make another evaluation.
    ShellVariables second =
        new ShellEvaluator(
                console,
                env.with(Map.of("JDKMS_JOBSERVER_FIFO", "/tmp/x", "MAKEFLAGS", "-j")),
                cache)
            .evaluate(List.of(conf), ctx, accepted, true, true);
    assertThat(second.get("PACKAGE_NAME")).isEqualTo("m2").isEqualTo(first.get("PACKAGE_NAME"));
    assertThat(Files.readAllLines(runs)).hasSize(1);
    String warning = "Deprecated feature: CLEAN (" + conf + ")\n";
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(warning + warning);

    // Another kernel, another environment or a changed file: evaluated again.
    new ShellEvaluator(console, env, cache)
        .evaluate(List.of(conf), Map.of("kernelver", "6.2"), accepted, true, true);
    new ShellEvaluator(console, env.with(Map.of("FOO", "1")), cache)
        .evaluate(List.of(conf), ctx, accepted, true, true);
    assertThat(Files.readAllLines(runs)).hasSize(3);
    Files.writeString(conf, "PACKAGE_NAME=changed\necho run >> " + runs + "\n");
    Files.setLastModifiedTime(conf, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    ShellVariables changed =
        new ShellEvaluator(console, env, cache).evaluate(List.of(conf), ctx, accepted, true, true);
    assertThat(changed.get("PACKAGE_NAME")).isEqualTo("changed");
    assertThat(Files.readAllLines(runs)).hasSize(4);
  }

  @Test
  void oneEvaluationServesReadsWithAndWithoutDeprecationWarnings() throws Exception {
    Path runs = dir.resolve("runs");
    Path conf = dir.resolve("dkms.conf");
    Files.writeString(
        conf,
        "echo run >> "
            + runs
            + "\nprintf 'own ' >&2\nCLEAN=\"make clean\"\nREMAKE_INITRD=yes\n"
            + "echo after >&2\n",
        StandardCharsets.UTF_8);
    EvaluationCache cache = new EvaluationCache();
    ChildEnvironment env = ChildEnvironment.of(Map.of("PATH", System.getenv("PATH")));
    List<String> accepted = List.of("PACKAGE_NAME", "CLEAN", "REMAKE_INITRD");
    String warnings =
        "Deprecated feature: CLEAN ("
            + conf
            + ")\nDeprecated feature: REMAKE_INITRD ("
            + conf
            + ")\n";
    for (boolean deprecation : List.of(false, true, false, true)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Console console = Console.of(new ByteArrayOutputStream(), err);
      ShellVariables v =
          new ShellEvaluator(console, env, cache)
              .evaluate(List.of(conf), Map.of(), accepted, deprecation, true);
      assertThat(v.get("CLEAN")).isEqualTo("make clean");
      assertThat(err.toString(StandardCharsets.UTF_8))
          .as("deprecation %s", deprecation)
          .isEqualTo("own after\n" + (deprecation ? warnings : ""));
    }
    assertThat(Files.readAllLines(runs)).hasSize(1);
  }
}
