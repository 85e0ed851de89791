package dev.jdkms.fleet;

/**
 * A fleet build that cannot start or finish: bad input (a missing key, a kernel without headers, a
 * source without dkms.conf) or a package that cannot be written. One line for the user, with the
 * exit status ({@link dev.jdkms.core.session.ExitCode}) the command ends with.
 */
public final class FleetException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public FleetException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public FleetException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
