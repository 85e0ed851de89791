package dev.jdkms.cli;

import java.nio.file.InvalidPathException;

/**
 * The one line a user sees for a failure no domain exception describes (never a stack trace), and
 * its exit status: upstream's status for an unexpected failure.
 */
final class Unexpected {
  /** The exit status of an unexpected failure (upstream dkms exits 1 for its generic errors). */
  static final int STATUS = 1;

  private Unexpected() {}

  /** What went wrong, in words a user can act on, without the "Error! " prefix. */
  static String describe(Throwable e) {
    if (e instanceof InvalidPathException p) {
      // Only when started without the launcher, which runs the JVM in C.UTF-8.
      return "jdkms: the file name '"
          + p.getInput()
          + "' cannot be used in this locale's file-name encoding ("
          + System.getProperty("sun.jnu.encoding")
          + "); start jdkms through its launcher or with LC_ALL=C.UTF-8";
    }
    if (e instanceof OutOfMemoryError) {
      return "jdkms: out of memory (Java heap limit "
          + (Runtime.getRuntime().maxMemory() >> 20)
          + " MiB): "
          + e.getMessage();
    }
    return "jdkms: internal error: " + e;
  }
}
