package dev.jdkms.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.exec.BuildProgress.Phase;
import dev.jdkms.core.tree.BuildRecord;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The time-left estimator, the progress line's format and a build's clock. */
class ProgressLineTest {
  private static Optional<BuildRecord> zfs() {
    Map<String, Long> p = new LinkedHashMap<>();
    p.put("configure", 180_000L);
    p.put("make", 540_000L);
    p.put("sign", 2_000L);
    p.put("compress", 8_000L);
    return Optional.of(new BuildRecord(900_000, p, 730_000, FileTime.fromMillis(0)));
  }

  @Test
  void theTimeLeftIsWhatThisAndTheLaterPhasesTookLastTime() {
    assertThat(ProgressLine.remainingMillis(zfs(), Phase.CONFIGURE, Set.of())).contains(730_000L);
    assertThat(ProgressLine.remainingMillis(zfs(), Phase.MAKE, Set.of(Phase.CONFIGURE)))
        .contains(550_000L);
    assertThat(ProgressLine.remainingMillis(zfs(), Phase.INSTALL, Set.of())).contains(0L);
    // a phase already done this time (compress before sign never happens, but it must not count)
    assertThat(ProgressLine.remainingMillis(zfs(), Phase.SIGN, Set.of(Phase.COMPRESS)))
        .contains(2_000L);
    assertThat(ProgressLine.remainingMillis(Optional.empty(), Phase.MAKE, Set.of())).isEmpty();
  }

  @Test
  void theLineNamesTheUnitThePhaseTheElapsedTimeAndTheTimeLeftWhenKnown() {
    assertThat(
            ProgressLine.line(
                "zfs/2.3.2 (6.12.48+deb13-amd64)", Phase.MAKE, 195_000, Optional.of(580_000L)))
        .isEqualTo("jdkms: zfs/2.3.2 (6.12.48+deb13-amd64): make, 3m15s elapsed, about 9m40s left");
    assertThat(ProgressLine.line("a/1 (k)", Phase.CONFIGURE, 400, Optional.empty()))
        .isEqualTo("jdkms: a/1 (k): configure, 0s elapsed");
    assertThat(ProgressLine.finished("a/1 (k)", "installed", 3_723_000))
        .isEqualTo("jdkms: a/1 (k): installed after 1h02m");
    assertThat(ProgressLine.duration(59_999)).isEqualTo("59s");
    assertThat(ProgressLine.duration(60_000)).isEqualTo("1m00s");
    assertThat(ProgressLine.duration(-5)).isEqualTo("0s");
  }

  @Test
  void aClockSaysOneLinePerPhaseChangeAndRecordsWhatEachPhaseTook() {
    long[] now = {1_000};
    List<String> lines = new ArrayList<>();
    BuildClock c = new BuildClock("zfs/2.3.2 (k2)", zfs(), lines::add, () -> now[0]);
    c.enter(Phase.CONFIGURE);
    now[0] += 200_000;
    c.enter(Phase.MAKE);
    c.enter(Phase.MAKE);
    now[0] += 500_000;
    c.enter(Phase.SIGN);
    now[0] += 1_000;
    c.enter(Phase.COMPRESS);
    now[0] += 9_000;
    BuildRecord r = c.record(600L * 1024 * 1024);
    c.enter(Phase.INSTALL);
    now[0] += 1_000;
    c.finished("installed");
    assertThat(lines)
        .containsExactly(
            "jdkms: zfs/2.3.2 (k2): configure, 0s elapsed, about 12m10s left",
            "jdkms: zfs/2.3.2 (k2): make, 3m20s elapsed, about 9m10s left",
            "jdkms: zfs/2.3.2 (k2): sign, 11m40s elapsed, about 10s left",
            "jdkms: zfs/2.3.2 (k2): compress, 11m41s elapsed, about 8s left",
            "jdkms: zfs/2.3.2 (k2): install, 11m50s elapsed, about 0s left",
            "jdkms: zfs/2.3.2 (k2): installed after 11m51s");
    assertThat(r.peakKib()).isEqualTo(600L * 1024);
    assertThat(r.totalMillis()).isEqualTo(710_000);
    assertThat(r.phaseMillis())
        .containsExactly(
            Map.entry("configure", 200_000L),
            Map.entry("make", 500_000L),
            Map.entry("sign", 1_000L),
            Map.entry("compress", 9_000L));
  }
}
