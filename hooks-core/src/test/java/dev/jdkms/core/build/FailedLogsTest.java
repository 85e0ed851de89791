package dev.jdkms.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailedLogsTest {
  @TempDir Path dir;

  @Test
  void everyFailedLogIsKeptOnceAndNeverOverwritten() throws Exception {
    Path build = dir.resolve("m/1.0/build");
    assertThat(FailedLogs.keep(build)).isNull();
    Files.createDirectories(build);
    Files.writeString(build.resolve("make.log"), "first\n");
    Path one = FailedLogs.keep(build);
    assertThat(one).isEqualTo(dir.resolve("m/1.0/.logs/make.log.1"));
    assertThat(FailedLogs.keep(build)).as("kept once").isEqualTo(one);
    // The next build starts from a fresh build dir.
    FileTrees.deleteRecursively(build);
    Files.createDirectories(build);
    Files.writeString(build.resolve("make.log"), "second\n");
    assertThat(FailedLogs.keep(build)).isEqualTo(dir.resolve("m/1.0/.logs/make.log.2"));
    assertThat(Files.readString(one)).isEqualTo("first\n");
    assertThat(Files.readString(dir.resolve("m/1.0/.logs/make.log.2"))).isEqualTo("second\n");
  }

  @Test
  void theExcerptIsTheCompilersFirstErrorWithContext() throws Exception {
    Path log = dir.resolve("make.log");
    Files.writeString(
        log,
        String.join(
            "\n",
            "DKMS (dkms-3.4.3) make.log for m/1.0 for kernel 6.1.0-56-amd64 (x86_64)",
            "Mon Nov 23 08:00:00 UTC 2026",
            "",
            "Building module(s)",
            "# command: make -j2 KERNELRELEASE=6.1.0-56-amd64",
            "  CC [M]  /var/lib/dkms/m/1.0/build/m.o",
            "/var/lib/dkms/m/1.0/build/m.c: In function \u2018m_init\u2019:",
            "/var/lib/dkms/m/1.0/build/m.c:7:17: error: expected \u2018;\u2019 before \u2018}\u2019 token",
            "    7 |         return 0",
            "      |                 ^",
            "/var/lib/dkms/m/1.0/build/m.c:9:1: error: second",
            "make[2]: *** [scripts/Makefile.build:250: m.o] Error 1",
            "make[1]: *** [Makefile:2012: /var/lib/dkms/m/1.0/build] Error 2",
            ""));
    assertThat(FailedLogs.excerpt(log, 2, 2))
        .containsExactly(
            "  CC [M]  /var/lib/dkms/m/1.0/build/m.o",
            "/var/lib/dkms/m/1.0/build/m.c: In function \u2018m_init\u2019:",
            "/var/lib/dkms/m/1.0/build/m.c:7:17: error: expected \u2018;\u2019 before \u2018}\u2019 token",
            "    7 |         return 0",
            "      |                 ^");
    Files.writeString(log, "a\nb\nmake: *** No rule to make target 'x'.  Stop.\nc\n");
    assertThat(FailedLogs.excerpt(log, 1, 1))
        .containsExactly("b", "make: *** No rule to make target 'x'.  Stop.", "c");
  }
}
