package dev.jdkms.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary line of the weak-updates step: what the transaction table says per kernel. */
class WeakLinksStepTest {
  static final String B = "5.14.0-503.el9.x86_64";

  @Test
  void linkedNotLinkedAndRemovedInOneLine() {
    WeakLinksStep.Result r =
        new WeakLinksStep.Result(
            B,
            false,
            List.of("zfs/2.2.4 (from 5.14.0-427.el9.x86_64)"),
            List.of("nvidia (built for 5.14.0-427.el9.x86_64): incompatible, rule 3 symbols: x"),
            1,
            "",
            true);

    assertThat(r.describe())
        .isEqualTo(
            "weak-updates of "
                + B
                + ": linked zfs/2.2.4 (from 5.14.0-427.el9.x86_64); not linked: nvidia (built for"
                + " 5.14.0-427.el9.x86_64): incompatible, rule 3 symbols: x; removed 1 link(s)");
  }

  @Test
  void aRemovedKernelAndANoteSayWhy() {
    assertThat(new WeakLinksStep.Result(B, true, List.of(), List.of(), 2, "", true).describe())
        .isEqualTo("weak-updates of " + B + ": removed 2 link(s) (kernel removed)");
    assertThat(
            new WeakLinksStep.Result(
                    B, false, List.of(), List.of(), 0, B + " has no MODVERSIONS", false)
                .describe())
        .isEqualTo("weak-updates of " + B + ": " + B + " has no MODVERSIONS");
  }

  @Test
  void nothingToSayIsNoLine() {
    // a kernel with headers whose modules were all built: no line in the summary
    assertThat(new WeakLinksStep.Result(B, false, List.of(), List.of(), 0, "", false).describe())
        .isEmpty();
  }
}
