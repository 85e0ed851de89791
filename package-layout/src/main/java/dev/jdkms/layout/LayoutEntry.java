package dev.jdkms.layout;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * One thing a jdkms package installs.
 *
 * @param path where it is installed, absolute ({@code /usr/lib/jdkms/lib/dkms.jar})
 * @param kind what it is
 * @param mode its permission bits ({@code 0755}); a symbolic link's are the packaging tool's own
 * @param source for a file, its path in the checkout ({@code dkms-cli/target/dkms.jar}); for a
 *     symbolic link, its target; for a directory, {@code null}
 * @param formats the packages that ship it
 */
public record LayoutEntry(String path, Kind kind, int mode, String source, Set<Format> formats) {

  /** What an entry is. A conffile is a regular file the package manager keeps when changed. */
  public enum Kind {
    FILE,
    CONFFILE,
    DIRECTORY,
    SYMLINK
  }

  /** The package formats jdkms is built as. */
  public enum Format {
    DEB,
    RPM,
    PACMAN
  }

  public LayoutEntry {
    if (!path.startsWith("/")
        || path.endsWith("/")
        || path.contains("//")
        || ("/" + path + "/").contains("/../")
        || ("/" + path + "/").contains("/./")) {
      throw new IllegalArgumentException("not a clean absolute path: " + path);
    }
    if ((kind == Kind.DIRECTORY) != (source == null)) {
      throw new IllegalArgumentException("a directory has no source, anything else one: " + path);
    }
    if (mode < 0 || mode > 07777 || formats.isEmpty()) {
      throw new IllegalArgumentException("bad mode or no format: " + path);
    }
    formats = Set.copyOf(EnumSet.copyOf(formats));
  }

  /** Whether {@code format}'s package ships this entry. */
  public boolean in(Format format) {
    return formats.contains(format);
  }

  /** Whether the entry is a regular file (a conffile included). */
  public boolean isRegularFile() {
    return kind == Kind.FILE || kind == Kind.CONFFILE;
  }

  /** {@link #path} without its leading {@code /}, as pacman and tar members name it. */
  public String relativePath() {
    return path.substring(1);
  }

  /** The file to ship, in the checkout at {@code checkout}; only for regular files. */
  public Path sourceIn(Path checkout) {
    if (!isRegularFile()) {
      throw new IllegalStateException(path + " is a " + kind + ", not a file");
    }
    return checkout.resolve(source);
  }

  /** Whether the source is made by the build (under a module's {@code target/}). */
  public boolean builtSource() {
    return isRegularFile() && source.contains("/target/");
  }
}
