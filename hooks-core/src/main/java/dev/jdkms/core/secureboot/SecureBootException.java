package dev.jdkms.core.secureboot;

/**
 * Something Secure Boot help must read is unreadable: an EFI variable (too large, truncated, sizes
 * that do not add up), a certificate, or a module's signature. The message names the variable or
 * file and what is wrong, in one line.
 */
public final class SecureBootException extends Exception {
  private static final long serialVersionUID = 1L;

  public SecureBootException(String message) {
    super(message);
  }

  public SecureBootException(String message, Throwable cause) {
    super(message, cause);
  }
}
