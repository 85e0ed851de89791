package dev.jdkms.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.exec.JobserverShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
  void tokensAKilledMakeNeverGaveBackAreRefilledUpToTheBudget() throws Exception {
    try (Jobserver js = Jobserver.start(dir, 2)) {
      assertThat(js.available()).isEqualTo(2);
      // A make killed while holding both tokens: they never come back.
      try (var in = new java.io.FileInputStream(js.fifo().toFile())) {
        assertThat(in.read()).isEqualTo('+');
        assertThat(in.read()).isEqualTo('+');
      }
      assertThat(js.available()).isZero();
      js.refill();
      assertThat(js.available()).isEqualTo(2);
      js.refill();
      assertThat(js.available()).as("never more than the budget").isEqualTo(2);
    }
    try (var s = Files.list(dir)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void everyMakeOfTheCommandDropsItsJobCountOnly() throws Exception {
    Path fifo = dir.resolve("f");
    String script = JobserverShell.wrap(fifo.toString(), "make -j4 -C x KERNELRELEASE=1 -s all");
    assertThat(script).endsWith("\n(\nmake -j4 -C x KERNELRELEASE=1 -s all\n)");
    Path args = dir.resolve("args");
    Files.writeString(args, "#!/bin/sh\necho \"$*\"\n");
    assertThat(args.toFile().setExecutable(true)).isTrue();
    try (Jobserver js = Jobserver.start(dir, 1)) {
      JobserverShell.writeMake(js.fifo(), Optional.of(args));
      // upstream's make line, NVIDIA's env make, ZFS's configure's make in a child shell
      String command =
          "make -j4 -C x -j KERNELRELEASE=1 all; env NV_VERBOSE=1 make -j 2 --jobs=3 modules;"
              + " sh -c 'make modules -k -j2 --jobs 5 -s'";
      Process p =
          new ProcessBuilder("bash", "-c", JobserverShell.wrap(js.fifo().toString(), command))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      assertThat(p.waitFor()).isZero();
      assertThat(out).isEqualTo("-C x KERNELRELEASE=1 all\nmodules\nmodules -k -s");
      assertThat(js.available()).as("the command's token is back").isEqualTo(1);
    }
    assertThat(JobserverShell.wrap(null, "make")).isEqualTo("make");
  }

  @Test
  void theJobserversMakeIsTheRealOneAndGoesWithIt() throws Exception {
    Path bin;
    try (Jobserver js = Jobserver.start(dir, 1)) {
      bin = JobserverShell.makeDir(js.fifo());
      Process p =
          new ProcessBuilder(
                  "bash",
                  "-c",
                  JobserverShell.wrap(js.fifo().toString(), "command -v make; make -v"))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).isZero();
      assertThat(out).startsWith(bin.resolve("make") + "\n").contains("GNU Make");
    }
    assertThat(bin).doesNotExist();
  }

  @Test
  void aCommandHoldsOneTokenWhileItRunsAndGivesItBackEvenAfterExec() throws Exception {
    try (Jobserver js = Jobserver.start(dir, 2)) {
      Path started = dir.resolve("started");
      Process p =
          new ProcessBuilder(
                  "bash",
                  "-c",
                  JobserverShell.wrap(
                      js.fifo().toString(), "touch " + started + "; exec sh -c 'sleep 1; exit 3'"))
              .start();
      for (int i = 0; i < 100 && !Files.exists(started); i++) {
        Thread.sleep(20);
      }
      assertThat(js.available()).as("one token taken").isEqualTo(1);
      assertThat(p.waitFor()).as("the command's status").isEqualTo(3);
      assertThat(js.available()).isEqualTo(2);
    }
  }

  @Test
  void aCommandWaitsForAToken() throws Exception {
    try (Jobserver js = Jobserver.start(dir, 1)) {
      try (var in = new java.io.FileInputStream(js.fifo().toFile())) {
        assertThat(in.read()).as("another command holds the only token").isEqualTo('+');
      }
      Process p =
          new ProcessBuilder("bash", "-c", JobserverShell.wrap(js.fifo().toString(), "echo ran"))
              .redirectErrorStream(true)
              .start();
      assertThat(p.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS))
          .as("no token: waits")
          .isFalse();
      try (var out = new java.io.FileOutputStream(js.fifo().toFile())) {
        out.write('+');
      }
      assertThat(new String(p.getInputStream().readAllBytes()).strip()).isEqualTo("ran");
      assertThat(p.waitFor()).isZero();
      assertThat(js.available()).isEqualTo(1);
    }
  }
}
