package dev.jdkms.core.sign;

/**
 * Signing or key generation failed. The message is a single line because callers print it inside
 * dkms-style warnings such as {@code Warning: Failed to sign module '...'!}.
 */
public final class SigningException extends Exception {
  private static final long serialVersionUID = 1L;

  public SigningException(String message) {
    super(oneLine(message));
  }

  public SigningException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  // Messages of wrapped library exceptions sometimes span lines; a warning must stay one line.
  private static String oneLine(String message) {
    return message == null ? "signing failed" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
