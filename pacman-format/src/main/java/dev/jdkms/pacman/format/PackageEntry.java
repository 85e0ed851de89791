package dev.jdkms.pacman.format;

/**
 * One member of a package's file tree: a directory, a regular file with its content, or a symbolic
 * link. {@code path} is relative to the installation root, without a leading or trailing {@code /}
 * (as alpm lists files).
 */
public record PackageEntry(String path, Kind kind, int mode, byte[] content, String linkTarget) {
  /** What the entry is. */
  public enum Kind {
    DIRECTORY,
    FILE,
    SYMLINK
  }

  public PackageEntry {
    if (path.isEmpty()
        || path.startsWith("/")
        || path.endsWith("/")
        || path.startsWith(".")
        || path.contains("//")
        || ("/" + path + "/").contains("/../")
        || ("/" + path + "/").contains("/./")) {
      // A leading dot would make alpm take the member for package metadata (.PKGINFO, .INSTALL).
      throw new IllegalArgumentException("invalid package path: " + path);
    }
    if ((kind == Kind.FILE) != (content != null)
        || (kind == Kind.SYMLINK) != (linkTarget != null)) {
      throw new IllegalArgumentException(
          "content or link target does not fit " + kind + ": " + path);
    }
  }

  public static PackageEntry directory(String path, int mode) {
    return new PackageEntry(path, Kind.DIRECTORY, mode, null, null);
  }

  public static PackageEntry file(String path, int mode, byte[] content) {
    return new PackageEntry(path, Kind.FILE, mode, content.clone(), null);
  }

  public static PackageEntry symlink(String path, String target) {
    return new PackageEntry(path, Kind.SYMLINK, 0777, null, target);
  }

  /** The bytes this entry adds to the installed size. */
  public long size() {
    return kind == Kind.FILE ? content.length : 0;
  }
}
