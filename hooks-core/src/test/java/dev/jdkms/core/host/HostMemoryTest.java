package dev.jdkms.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.FakeHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Available memory from a fabricated /proc/meminfo and cgroup files on a fake host. */
class HostMemoryTest {
  private static final long MIB = 1024 * 1024;
  @TempDir Path dir;

  @Test
  void memAvailableAloneCountsWhenNoCgroupLimits() throws Exception {
    FakeHost h = new FakeHost(dir, "6.1.0-1-amd64");
    h.meminfo(3 * 1024 * 1024);
    HostMemory m = HostMemory.read(h.paths);
    assertThat(m.availableBytes()).isEqualTo(3L * 1024 * MIB);
    assertThat(m.source()).isEqualTo("MemAvailable");
  }

  @Test
  void aCgroupV2LimitBelowMemAvailableWinsAndItsInactiveCacheCountsAsFree() throws Exception {
    FakeHost h = new FakeHost(dir, "6.1.0-1-amd64");
    h.meminfo(20 * 1024 * 1024);
    h.cgroupV2("/system.slice/apt.service", Long.toString(2048 * MIB), 1500 * MIB, 500 * MIB);
    HostMemory m = HostMemory.read(h.paths);
    // 2048 - (1500 - 500) MiB
    assertThat(m.availableBytes()).isEqualTo(1048 * MIB);
    assertThat(m.source()).startsWith("cgroup ").endsWith("system.slice/apt.service");
  }

  @Test
  void anAncestorsLimitCountsToo() throws Exception {
    FakeHost h = new FakeHost(dir, "6.1.0-1-amd64");
    h.meminfo(20 * 1024 * 1024);
    h.cgroupV2("/user.slice/session", "max", 100 * MIB, 0);
    Path parent = h.paths.cgroupFs().resolve("user.slice");
    Files.writeString(parent.resolve("memory.max"), Long.toString(900 * MIB) + "\n");
    Files.writeString(parent.resolve("memory.current"), Long.toString(400 * MIB) + "\n");
    assertThat(HostMemory.read(h.paths).availableBytes()).isEqualTo(500 * MIB);
  }

  @Test
  void aCgroupV1MemoryControllerIsReadToo() throws Exception {
    FakeHost h = new FakeHost(dir, "6.1.0-1-amd64");
    h.meminfo(20 * 1024 * 1024);
    Files.writeString(h.paths.selfCgroup(), "5:cpu,cpuacct:/\n4:memory:/docker/abc\n0::/\n");
    Path g = Files.createDirectories(h.paths.cgroupFs().resolve("memory/docker/abc"));
    Files.writeString(g.resolve("memory.limit_in_bytes"), Long.toString(1024 * MIB));
    Files.writeString(g.resolve("memory.usage_in_bytes"), Long.toString(300 * MIB));
    Files.writeString(g.resolve("memory.stat"), "total_inactive_file " + 100 * MIB + "\n");
    // the root's "no limit" is LONG_MAX rounded to pages
    Files.writeString(
        h.paths.cgroupFs().resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
    Files.writeString(h.paths.cgroupFs().resolve("memory/memory.usage_in_bytes"), "12345\n");
    assertThat(HostMemory.read(h.paths).availableBytes()).isEqualTo(824 * MIB);
  }

  @Test
  void garbageAndMissingFilesMeanUnknownNeverAnError() throws Exception {
    FakeHost h = new FakeHost(dir, "6.1.0-1-amd64");
    assertThat(HostMemory.read(h.paths).known()).isFalse();
    Files.writeString(h.paths.meminfo(), "MemAvailable: lots kB\nMemAvailable: -5 kB\n");
    Files.writeString(h.paths.selfCgroup(), "0::/../../etc\nrubbish\n::\n");
    assertThat(HostMemory.read(h.paths)).isEqualTo(HostMemory.unknown());
    Files.writeString(h.paths.meminfo(), "MemAvailable: 99999999999999999999999 kB\n");
    assertThat(HostMemory.read(h.paths).known()).isFalse();
    Files.write(h.paths.meminfo(), new byte[200_000]);
    assertThat(HostMemory.read(h.paths).known()).isFalse();
  }

  @Test
  void aGroupUsingMoreThanItsLimitHasNoRoomRatherThanANegativeOne() throws Exception {
    FakeHost h = new FakeHost(dir, "6.1.0-1-amd64");
    h.meminfo(20 * 1024 * 1024);
    h.cgroupV2("/x", Long.toString(100 * MIB), 150 * MIB, 0);
    assertThat(HostMemory.read(h.paths).availableBytes()).isZero();
  }
}
