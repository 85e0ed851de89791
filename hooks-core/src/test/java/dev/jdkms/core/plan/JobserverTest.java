package dev.jdkms.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.exec.JobserverShell;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobserverTest {
  @TempDir Path dir;

  @Test
  void makeflagsKeepTheUsersFlagsButNotTheirJobCount() {
    assertThat(Jobserver.makeflags(null)).isEqualTo("-j --jobserver-auth=3,3");
    assertThat(Jobserver.makeflags(" -j8 -k --jobserver-auth=5,6 V=1 -l4"))
        .isEqualTo("-k V=1 -j --jobserver-auth=3,3");
  }

  @Test
  void tokensAreTakenAndGivenBackAndLostOnesRefilled() throws Exception {
    try (Jobserver js = Jobserver.start(dir, 2)) {
      assertThat(js.available()).isEqualTo(2);
      assertThat(js.acquire(() -> false)).isTrue();
      assertThat(js.available()).isEqualTo(1);
      js.release();
      assertThat(js.available()).isEqualTo(2);
      // A make killed while holding both tokens: they never come back.
      try (var in = new java.io.FileInputStream(js.fifo().toFile())) {
        assertThat(in.read()).isEqualTo('+');
        assertThat(in.read()).isEqualTo('+');
      }
      assertThat(js.acquire(() -> false)).as("refilled when nothing of ours runs").isTrue();
      js.release();
      assertThat(js.available()).isEqualTo(2);
      assertThat(js.acquire(() -> true)).as("cancelled").isIn(true, false);
    }
    try (var s = Files.list(dir)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void theShellWrapperDropsTheJobCountOnly() throws Exception {
    Path fifo = dir.resolve("f");
    String script = JobserverShell.wrap(fifo.toString(), "make -j4 -C x KERNELRELEASE=1 -s all");
    assertThat(script).endsWith("\nmake -j4 -C x KERNELRELEASE=1 -s all");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mk.waitFor()).isZero();
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                JobserverShell.wrap(fifo.toString(), "")
                    + "command() { shift; echo \"$*\"; }; make -j4 -C x -j KERNELRELEASE=1 all")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo("-C x KERNELRELEASE=1 all");
    assertThat(JobserverShell.wrap(null, "make")).isEqualTo("make");
  }
}
