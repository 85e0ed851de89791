package dev.jdkms.hooks.debian;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.hooks.EngineResult;
import dev.jdkms.hooks.EngineResult.Failure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** apt-hook/README.md, "Exit status": only a boot-critical failure fails the kernel hook. */
class DebianExitPolicyTest {
  private static final String K = "6.1.0-56-amd64";

  @Test
  void successSaysNothing() {
    DebianExitPolicy.Verdict v = DebianExitPolicy.judge(K, EngineResult.OK, k -> List.of("x/1"));
    assertThat(v.status()).isZero();
    assertThat(v.lines()).isEmpty();
  }

  @Test
  void aFailedModuleIsAWarningAndTheKernelIsConfigured() {
    EngineResult r =
        new EngineResult(
            11, List.of(Failure.of("a/1.0", K, false), Failure.of("b/2", K, false)), List.of());
    DebianExitPolicy.Verdict v = DebianExitPolicy.judge(K, r, k -> List.of());
    assertThat(v.status()).isZero();
    assertThat(v.lines())
        .containsExactly(
            "",
            "dkms: WARNING: kernel " + K + ": module(s) a/1.0 b/2 failed (jdkms exit status 11).",
            "dkms: The kernel is configured without them; after fixing the cause run: dkms"
                + " autoinstall -k "
                + K);
  }

  @Test
  void aBootCriticalFailureFailsTheHookWithTheEnginesStatus() {
    EngineResult r =
        new EngineResult(
            11, List.of(Failure.of("a/1.0", K, false), Failure.of("root/3", K, true)), List.of());
    DebianExitPolicy.Verdict v = DebianExitPolicy.judge(K, r, k -> List.of("never/asked"));
    assertThat(v.status()).isEqualTo(11);
    assertThat(v.lines().get(1))
        .isEqualTo(
            "dkms: ERROR: kernel "
                + K
                + ": boot-critical module(s) root/3 failed (REMAKE_INITRD=yes in dkms.conf).");
    assertThat(v.lines()).last().asString().endsWith("then run: dpkg --configure -a");
  }

  @Test
  void whenTheEngineNamedNoModuleTheBootCriticalOnesCount() {
    DebianExitPolicy.Verdict critical =
        DebianExitPolicy.judge(K, EngineResult.stopped(21), k -> List.of("zfs/2.2.4"));
    assertThat(critical.status()).isEqualTo(21);
    assertThat(critical.lines().get(1)).contains("boot-critical module(s) zfs/2.2.4 failed");

    DebianExitPolicy.Verdict plain =
        DebianExitPolicy.judge(K, EngineResult.stopped(4), k -> List.of());
    assertThat(plain.status()).isZero();
    assertThat(plain.lines().get(1)).contains("module(s) unknown failed (jdkms exit status 4)");
  }
}
