package dev.jdkms.core.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.FakeHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build records in the tree: written beside make.log, read back bounded and robustly. */
class BuildRecordTest {
  @TempDir Path dir;

  private static BuildRecord record(long peakKib, long make, long total) {
    Map<String, Long> phases = new LinkedHashMap<>();
    phases.put("configure", 1000L);
    phases.put("make", make);
    return new BuildRecord(peakKib, phases, total, FileTime.fromMillis(0));
  }

  @Test
  void aRecordRoundTripsThroughItsFile() throws Exception {
    Path built = dir.resolve("zfs/2.3.2/6.12.1/x86_64");
    record(800_000, 60_000, 62_000).writeTo(built);
    assertThat(Files.readString(built.resolve("log/jdkms.stats")))
        .isEqualTo(
            "# jdkms: what this build took (next builds' estimates)\n"
                + "peak_rss_kib=800000\nconfigure_ms=1000\nmake_ms=60000\ntotal_ms=62000\n");
    BuildRecord r = BuildRecord.read(built).orElseThrow();
    assertThat(r.peakKib()).isEqualTo(800_000);
    assertThat(r.phaseMillis())
        .containsExactly(Map.entry("configure", 1000L), Map.entry("make", 60_000L));
    assertThat(r.totalMillis()).isEqualTo(62_000);
  }

  @Test
  void garbageLinesAreIgnoredAndAFileWithoutItsTotalOrTooBigIsNoRecord() throws Exception {
    Path built = Files.createDirectories(dir.resolve("m/1/k/x86_64/log"));
    Path f = built.resolve("jdkms.stats");
    Files.writeString(
        f,
        "peak_rss_kib=-3\nmake_ms=99999999999999999999\nEVIL_ms=5\nsign_ms=12\nnonsense\n"
            + "=4\ntotal_ms=20\n");
    BuildRecord r = BuildRecord.read(built.getParent()).orElseThrow();
    assertThat(r.peakKib()).isZero();
    assertThat(r.phaseMillis()).containsExactly(Map.entry("sign", 12L));
    Files.writeString(f, "peak_rss_kib=5\n");
    assertThat(BuildRecord.read(built.getParent())).isEmpty();
    Files.write(f, ("total_ms=1\n" + "#".repeat(5000)).getBytes());
    assertThat(BuildRecord.read(built.getParent())).isEmpty();
    Files.delete(f);
    Files.createDirectory(f);
    assertThat(BuildRecord.read(built.getParent())).isEmpty();
  }

  @Test
  void aModulesRecordsComeFromEveryVersionKernelAndArchButNotItsBuildDirectory() throws Exception {
    FakeHost h = new FakeHost(dir, "6.1.0-1-amd64");
    DkmsTree tree = new DkmsTree(h.paths.dkmsTree(), h.paths.sourceTree());
    Path m = h.paths.dkmsTree().resolve("zfs");
    record(100, 10, 11).writeTo(m.resolve("2.1/6.1.0-1-amd64/x86_64"));
    record(300, 30, 33).writeTo(m.resolve("2.2/6.1.0-1-amd64/x86_64"));
    record(200, 20, 22).writeTo(m.resolve("2.2/6.1.0-2-amd64/x86_64"));
    record(9_999_999, 1, 1).writeTo(m.resolve("build/a/b"));
    List<BuildRecord.Found> found = BuildRecord.ofModule(tree, "zfs");
    assertThat(found).extracting(BuildRecord.Found::version).containsExactly("2.1", "2.2", "2.2");
    assertThat(BuildRecord.peakBytes(found)).isEqualTo(300 * 1024);
    assertThat(BuildRecord.ofModule(tree, "absent")).isEmpty();
    assertThat(BuildRecord.latestOf(found, "2.3")).isEmpty();
    assertThat(BuildRecord.latestOf(found, "2.1").orElseThrow().totalMillis()).isEqualTo(11);
  }
}
