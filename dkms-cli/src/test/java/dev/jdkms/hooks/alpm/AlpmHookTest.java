package dev.jdkms.hooks.alpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.hooks.Engine;
import dev.jdkms.hooks.EngineResult;
import dev.jdkms.hooks.EngineResult.Failure;
import dev.jdkms.hooks.Output;
import dev.jdkms.hooks.RecordingEngine;
import dev.jdkms.hooks.TransactionSpool;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alpm hooks' handler: notes of removed and upgraded paths, the one engine run of the last
 * hook, and pacman's exit policy (always 0, failures repeated as {@code ==> ERROR:} lines).
 */
class AlpmHookTest {
  private static final String K1 = "usr/lib/modules/6.1.0-55-amd64/vmlinuz";
  private static final String K2 = "usr/lib/modules/6.1.0-56-amd64/vmlinuz";
  private static final String FOO = "usr/src/foo-1.0/dkms.conf";
  @TempDir Path root;
  private final Output output = new Output();
  private final RecordingEngine engine = new RecordingEngine(Path.of("/nonexistent"));

  private int hook(String stage, String... paths) {
    return new AlpmHook(engine, output.console, new TransactionSpool(root))
        .run(stage, List.of(paths));
  }

  @Test
  void aKernelUpgradedToAnotherReleaseIsOneRun() {
    assertThat(hook("removed", K1)).isZero();
    assertThat(engine.requests).as("noting runs no engine").isEmpty();
    assertThat(hook("install", K1, K2)).isZero();
    Engine.Request r = engine.requests.get(0);
    assertThat(r.removed()).containsExactly(K1);
    assertThat(r.installed()).containsExactly(K2);
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void anUpgradeInPlaceIsRemovedAndInstalled() {
    hook("upgraded", FOO);
    hook("install", FOO);
    Engine.Request r = engine.requests.get(0);
    assertThat(r.removed()).containsExactly(FOO);
    assertThat(r.installed()).containsExactly(FOO);
  }

  @Test
  void staleNotesOfAnotherTransactionAreIgnored() {
    hook("removed", K1);
    hook("install", K2);
    assertThat(engine.requests.get(0).removed()).isEmpty();
    assertThat(engine.requests.get(0).installed()).containsExactly(K2);
  }

  @Test
  void nothingToDoRunsNothing() {
    hook("install");
    assertThat(engine.requests).isEmpty();
  }

  @Test
  void failuresAreRepeatedAsErrorLinesAndNeverFailTheTransaction() {
    engine.answering(
        new EngineResult(
            11,
            List.of(
                new Failure(
                    "jdkms_broken/1.0",
                    "6.1.0-55-amd64",
                    false,
                    "build failed (exit 10)",
                    Optional.of(Path.of("/var/lib/dkms/jdkms_broken/1.0/.logs/make.log.1")))),
            List.of("note: something informative", "gamma/1.0: add failed (exit 8)")));
    assertThat(hook("install", FOO)).isZero();
    assertThat(output.stderr())
        .isEqualTo(
            "==> ERROR: jdkms_broken/1.0 for kernel 6.1.0-55-amd64: build failed (exit 10); log:"
                + " /var/lib/dkms/jdkms_broken/1.0/.logs/make.log.1\n"
                + "==> ERROR: gamma/1.0: add failed (exit 8)\n");
  }

  @Test
  void aFailureOfTheWholeRunIsOneErrorLine() {
    engine.answering(EngineResult.stopped(4));
    assertThat(hook("install", FOO)).isZero();
    assertThat(output.stderr())
        .isEqualTo(
            "==> ERROR: jdkms transaction failed with exit status 4; see the messages above\n");
  }

  @Test
  void anUnknownStageIsAnErrorLineNotAFailure() {
    assertThat(hook("frobnicate")).isZero();
    assertThat(output.stderr()).startsWith("==> ERROR: usage: hook alpm");
  }
}
