package dev.jdkms.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.host.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each build's peak: its processes found by their environment, their VmRSS summed per sample. */
class BuildMemorySamplerTest {
  @TempDir Path dir;

  private void process(HostPaths p, long pid, String build, long rssKib) throws Exception {
    Path d = Files.createDirectories(p.proc().resolve(Long.toString(pid)));
    String env = "PATH=/bin\0" + (build == null ? "" : BuildMemorySampler.ENV + "=" + build + "\0");
    Files.writeString(p.processEnviron(pid), env);
    Files.writeString(
        d.resolve("status"), "Name:\tcc1\nVmPeak:\t 1 kB\nVmRSS:\t " + rssKib + " kB\n");
  }

  @Test
  void aBuildsPeakIsTheMostItsProcessesHeldTogetherInOneSample() throws Exception {
    HostPaths p = HostPaths.under(dir);
    long[][] pids = {{10, 11, 12, 20}};
    BuildMemorySampler s = new BuildMemorySampler(p, () -> LongStream.of(pids[0]));
    process(p, 10, "1", 1000);
    process(p, 11, "1", 2000);
    process(p, 12, null, 50_000);
    process(p, 20, "2", 700);
    s.started("1");
    s.started("2");
    s.sample();
    // the next sample: pid 11 gone, pid 13 (build 1) bigger alone than both were together
    pids[0] = new long[] {10, 13, 20};
    process(p, 13, "1", 2500);
    process(p, 20, "2", 100);
    s.sample();
    assertThat(s.finished("1")).isEqualTo(3500L * 1024);
    assertThat(s.finished("2")).isEqualTo(700L * 1024);
    assertThat(s.finished("3")).isZero();
  }

  @Test
  void unreadableOrGarbageProcessFilesCountAsNothing() throws Exception {
    HostPaths p = HostPaths.under(dir);
    process(p, 30, "1", 100);
    Files.writeString(p.processStatus(30), "VmRSS:\t lots kB\n");
    BuildMemorySampler s = new BuildMemorySampler(p, () -> LongStream.of(30, 31));
    s.started("1");
    s.sample();
    assertThat(s.finished("1")).isZero();
  }
}
