package dev.jdkms.core.kabi;

/**
 * A file that is not a readable kernel module: not ELF, truncated, an offset or size pointing
 * outside the file, a corrupt compressed stream, inconsistent version tables. The message names the
 * file and what is wrong with it, in words a user can act on.
 */
public class ModuleFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModuleFormatException(String message) {
    super(message);
  }

  public ModuleFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
