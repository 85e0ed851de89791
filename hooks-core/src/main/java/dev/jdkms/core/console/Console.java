package dev.jdkms.core.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;

/**
 * The two console streams, written unbuffered so that stdout and stderr lines interleave exactly as
 * bash dkms prints them (upstream's suite diffs {@code 2>&1}). Child processes inherit the same
 * descriptors unless the console is quiet.
 */
public final class Console {
  private final OutputStream out;
  private final OutputStream err;
  private final boolean quiet;
  private final Capture capture;

  private Console(OutputStream out, OutputStream err, boolean quiet) {
    this(out, err, quiet, null);
  }

  private Console(OutputStream out, OutputStream err, boolean quiet, Capture capture) {
    this.out = out;
    this.err = err;
    this.quiet = quiet;
    this.capture = capture;
  }

  /** The console of a {@link Capture}: both streams and child output, in one ordered record. */
  static Console capturing(Capture capture) {
    return new Console(capture.stream(false), capture.stream(true), false, capture);
  }

  /** The process's own stdout and stderr, without any Java-side buffering. */
  public static Console system() {
    return new Console(
        new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err), false);
  }

  /** A console that prints nothing, and whose child processes print nothing ({@code -q}). */
  public static Console silent() {
    return new Console(OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), true);
  }

  /** A console writing to the given streams (tests). Child processes then discard their output. */
  public static Console of(OutputStream out, OutputStream err) {
    return new Console(out, err, true);
  }

  public boolean isQuiet() {
    return quiet;
  }

  /** Prints text to stdout as is (no newline added). */
  public void print(String text) {
    write(out, text);
  }

  /** Prints one line to stdout. */
  public void println(String line) {
    write(out, line + "\n");
  }

  /** Prints several lines to stdout in one write. */
  public void lines(String... lines) {
    write(out, String.join("\n", lines) + "\n");
  }

  /** Prints text to stderr as is. */
  public void printErr(String text) {
    write(err, text);
  }

  /** Prints one line to stderr. */
  public void errln(String line) {
    write(err, line + "\n");
  }

  /** upstream {@code error()}: an empty line, then {@code Error! } and each line. */
  public void error(String... lines) {
    StringBuilder b = new StringBuilder("\nError! ");
    for (String l : lines) {
      b.append(l).append('\n');
    }
    write(err, b.toString());
  }

  /** upstream {@code warn()}: {@code Warning: } and each line, on stderr. */
  public void warn(String... lines) {
    StringBuilder b = new StringBuilder("Warning: ");
    for (String l : lines) {
      b.append(l).append('\n');
    }
    write(err, b.toString());
  }

  /** upstream {@code deprecated()}. */
  public void deprecated(String text) {
    write(err, "Deprecated feature: " + text + "\n");
  }

  /** Where a child process's stdout goes: the console's own descriptor, or nowhere. */
  public Redirect childOut() {
    if (capture != null) {
      return capture.childRedirect(false);
    }
    return quiet ? Redirect.DISCARD : Redirect.INHERIT;
  }

  /** Where a child process's stderr goes. */
  public Redirect childErr() {
    if (capture != null) {
      return capture.childRedirect(true);
    }
    return quiet ? Redirect.DISCARD : Redirect.INHERIT;
  }

  /** Writes bytes as they are (a capture's replay). */
  void raw(boolean toErr, byte[] data) {
    try {
      OutputStream s = toErr ? err : out;
      s.write(data);
      s.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(OutputStream s, String text) {
    try {
      s.write(text.getBytes(StandardCharsets.UTF_8));
      s.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
