package dev.jdkms.core.tarball;

/**
 * An archive that cannot be loaded: not a tar archive at all, unreadable, or with a member that
 * would write outside the extraction directory or is otherwise unsafe. Nothing outside the private
 * extraction directory has been written when this is thrown.
 */
public final class TarballException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the archive was refused. */
  public enum Kind {
    /**
     * No tar archive could be recognised in the file (GNU tar: "does not look like a tar archive").
     */
    NOT_AN_ARCHIVE,
    /** A tar archive, but truncated or corrupt. */
    CORRUPT,
    /** A member that is refused on purpose (path, type, link target, size). */
    UNSAFE
  }

  private final Kind kind;

  TarballException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  TarballException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
