package dev.jdkms.core.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Whether this process's stdout is a terminal, read from {@code /proc/self/fd/1} through the host
 * paths (a test's fake {@code /proc} says what it likes). {@code System.console()} is not enough:
 * up to Java 21 it is null whenever stdin is not a terminal too (a build run with {@code
 * </dev/null}), and from 22 on it exists for pipes as well. The drop-in shows its builds' progress
 * only on a terminal: everywhere else (logs, pipes, upstream's suite) its console is upstream's.
 */
public final class Terminal {
  /** A pseudo-terminal, a virtual console or serial line, the controlling tty, the console. */
  private static final Pattern TTY =
      Pattern.compile("/dev/(pts/[0-9]+|tty|tty[A-Za-z]{0,8}[0-9]+|console)");

  private Terminal() {}

  /** True when fd 1 is one of the terminal devices ({@link #isTerminalDevice}). */
  public static boolean stdout(HostPaths host) {
    Path link = host.proc().resolve("self/fd/1");
    try {
      return isTerminalDevice(Files.readSymbolicLink(link).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false; // closed, or no /proc: as upstream would print it to a file
    }
  }

  /** What {@code /proc/self/fd/N} names for a terminal: {@code /dev/pts/3}, {@code /dev/tty2}… */
  static boolean isTerminalDevice(String target) {
    return TTY.matcher(target).matches();
  }
}
