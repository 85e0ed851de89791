package dev.jdkms.core.conf;

/** A configuration file could not be evaluated at all (not a validation failure). */
public final class ConfException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfException(String message) {
    super(message);
  }
}
