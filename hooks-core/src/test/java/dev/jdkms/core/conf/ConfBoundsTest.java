package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.session.ConfReader;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounds of a dkms.conf read: array indexes, time. */
class ConfBoundsTest {
  @TempDir Path dir;

  @Test
  void anIndexBeyondAnIntIsAValidationErrorNotAnInternalOne() {
    DkmsConfInterpreter.Result r =
        new Confs(dir)
            .interpret(
                Confs.HEADER + "BUILT_MODULE_NAME[99999999999]=x\nDEST_MODULE_LOCATION=/updates\n",
                Confs.context("6.1.0-9-amd64"));
    assertThat(r.errors())
        .containsExactly(
            "dkms.conf: Error! Directive 'BUILT_MODULE_NAME' has an index above 9999 (jdkms"
                + " reads at most 10000 module records).");
  }

  @Test
  void theHighestIndexJdkmsReadsKeepsUpstreamsRecordErrors() {
    DkmsConfInterpreter.Result r =
        new Confs(dir)
            .interpret(
                Confs.HEADER + "BUILT_MODULE_NAME[9999]=x\nDEST_MODULE_LOCATION[9999]=/updates\n",
                Confs.context("6.1.0-9-amd64"));
    assertThat(r.errors())
        .hasSize(2 * 9999)
        .contains("dkms.conf: Error! No 'BUILT_MODULE_NAME' directive specified for record #0.");
  }

  @Test
  void aFileThatNeverFinishesIsStopped() throws Exception {
    Path f = dir.resolve("dkms.conf");
    Files.writeString(f, Confs.ONE_MODULE + "yes\n");
    ShellEvaluator bash =
        new ShellEvaluator(
            Console.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()),
            ChildEnvironment.fromProcess(),
            null,
            Duration.ofSeconds(1));
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                bash.evaluate(
                    List.of(f), ShellEvaluator.context(), ConfReader.ACCEPTED, false, true))
        .isInstanceOf(ConfException.class)
        .hasMessage("reading [" + f + "] did not finish within 1 seconds");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
