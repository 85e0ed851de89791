package dev.jdkms.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether stdout is a terminal, read from a fake {@code /proc/self/fd/1}. */
class TerminalTest {
  @TempDir Path dir;

  private boolean stdoutLinkedTo(String target) throws IOException {
    HostPaths host = HostPaths.under(dir);
    Path fd = Files.createDirectories(host.proc().resolve("self/fd"));
    Files.deleteIfExists(fd.resolve("1"));
    Files.createSymbolicLink(fd.resolve("1"), Path.of(target));
    return Terminal.stdout(host);
  }

  @Test
  void pseudoTerminalsConsolesAndSerialLinesAreTerminals() throws IOException {
    assertThat(stdoutLinkedTo("/dev/pts/3")).isTrue();
    assertThat(stdoutLinkedTo("/dev/pts/127")).isTrue();
    assertThat(stdoutLinkedTo("/dev/tty2")).isTrue();
    assertThat(stdoutLinkedTo("/dev/ttyS0")).isTrue();
    assertThat(stdoutLinkedTo("/dev/tty")).isTrue();
    assertThat(stdoutLinkedTo("/dev/console")).isTrue();
  }

  @Test
  void pipesFilesSocketsAndOtherDevicesAreNot() throws IOException {
    assertThat(stdoutLinkedTo("pipe:[123456]")).isFalse();
    assertThat(stdoutLinkedTo("socket:[98765]")).isFalse();
    assertThat(stdoutLinkedTo("/dev/null")).isFalse();
    assertThat(stdoutLinkedTo("/var/log/dkms-build.log")).isFalse();
    assertThat(stdoutLinkedTo("/dev/pts/ptmx")).isFalse();
    assertThat(stdoutLinkedTo("/tmp/dev/pts/3")).isFalse();
    assertThat(stdoutLinkedTo("/dev/pts/3 (deleted)")).isFalse();
  }

  @Test
  void noLinkIsNoTerminal() {
    // fd 1 closed, or a host without /proc
    assertThat(Terminal.stdout(HostPaths.under(dir))).isFalse();
  }
}
