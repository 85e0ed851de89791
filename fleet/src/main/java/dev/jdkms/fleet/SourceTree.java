package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A module source tree as a source package carries it to {@code /usr/src/NAME-VERSION}: its
 * dkms.conf's PACKAGE_NAME and PACKAGE_VERSION, and every directory, file and symbolic link below
 * it, in name order. Files are 0755 when their owner may execute them (a script the build runs
 * stays executable), 0644 otherwise, all owned by root, as dh_fixperms leaves them. Version-control
 * directories are left out. Refused with one line: names that are unsafe in a path or a maintainer
 * script, a link pointing out of the tree, anything but files, directories and links.
 */
public record SourceTree(String module, String version, Path dir, List<Entry> entries) {
  // what dkms accepts in practice and a shell script takes without quoting
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
  private static final Pattern SAFE_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]*");
  private static final Set<String> VCS = Set.of(".git", ".svn", ".hg", ".bzr", "CVS");

  public SourceTree {
    entries = List.copyOf(entries);
  }

  /** One member of the tree, {@code path} relative to the tree (never empty). */
  public record Entry(String path, Kind kind, int mode, Path source, String linkTarget) {}

  /** What a member is. */
  public enum Kind {
    DIRECTORY,
    FILE,
    SYMLINK
  }

  /** {@code /usr/src/NAME-VERSION}, without the leading slash. */
  public String installDir() {
    return "usr/src/" + module + "-" + version;
  }

  /** Checks the names (from dkms.conf) and reads the tree below {@code dir}. */
  public static SourceTree of(String module, String version, Path dir) throws FleetException {
    if (!SAFE_NAME.matcher(module).matches()) {
      throw unsafe(
          dir, "PACKAGE_NAME '" + module + "' is not a safe package name ([A-Za-z0-9._+-])");
    }
    if (!SAFE_VERSION.matcher(version).matches()) {
      throw unsafe(
          dir, "PACKAGE_VERSION '" + version + "' is not a safe version ([A-Za-z0-9._+~-])");
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted().toList()) {
        Path rel = dir.relativize(p);
        if (rel.toString().isEmpty() || inVcs(rel)) {
          continue;
        }
        entries.add(entry(dir, rel, p));
      }
    } catch (IOException e) {
      throw new FleetException(ExitCode.FAILURE, "cannot read " + dir + ": " + e.getMessage(), e);
    }
    return new SourceTree(module, version, dir, entries);
  }

  private static Entry entry(Path dir, Path rel, Path p) throws FleetException, IOException {
    String name = rel.toString();
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
      throw unsafe(dir, "the name of " + name.replaceAll("\\p{Cntrl}", "?") + " is unsafe");
    }
    if (Files.isSymbolicLink(p)) {
      Path target = Files.readSymbolicLink(p);
      Path resolved = rel.resolveSibling(target).normalize();
      if (target.isAbsolute() || resolved.startsWith("..") || resolved.toString().isEmpty()) {
        throw unsafe(dir, name + " is a symbolic link out of the tree (" + target + ")");
      }
      return new Entry(name, Kind.SYMLINK, 0777, p, target.toString());
    }
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return new Entry(name, Kind.DIRECTORY, 0755, p, null);
    }
    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      boolean exec =
          Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
              .contains(PosixFilePermission.OWNER_EXECUTE);
      return new Entry(name, Kind.FILE, exec ? 0755 : 0644, p, null);
    }
    throw unsafe(dir, name + " is neither a file, a directory nor a symbolic link");
  }

  private static boolean inVcs(Path rel) {
    for (Path part : rel) {
      if (VCS.contains(part.toString())) {
        return true;
      }
    }
    return false;
  }

  private static FleetException unsafe(Path dir, String why) {
    return new FleetException(ExitCode.BAD_CONF, dir + ": " + why);
  }
}
