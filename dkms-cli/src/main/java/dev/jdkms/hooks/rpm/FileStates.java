package dev.jdkms.hooks.rpm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What rpm does not say and the files do: whether a noted path is still the same file (its inode),
 * and whether a kernel image or dkms.conf was replaced since the tree's builds were made from it.
 * rpm fires no un-trigger for a path the new package keeps (a reinstall, or a new release of the
 * same kernel or module version), so a change time later than the tree's entries tells; jdkms's own
 * install fires the in-trigger for every existing file, and those are older than their builds.
 */
public final class FileStates {
  private final Path root;
  private final Path dkmsTree;

  /** {@code root}: where the paths rpm names are ({@code /} but in tests). */
  public FileStates(Path root, Path dkmsTree) {
    this.root = root;
    this.dkmsTree = dkmsTree;
  }

  private Path at(String path) {
    return root.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /** The inode of the file {@code path} names (links followed), empty when it is gone. */
  Optional<String> inode(String path) {
    try {
      return Optional.of(String.valueOf(Files.getAttribute(at(path), "unix:ino")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  boolean replacedSinceBuilt(String path) throws IOException {
    FileTime changed;
    try {
      changed = (FileTime) Files.getAttribute(at(path), "unix:ctime", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    Path p = Path.of(path);
    if (path.matches(".*/usr/src/[^/]+/dkms\\.conf")) {
      String source = p.getParent().toString();
      return anyEntryOlder(changed, "source", link -> source.equals(readLink(link)));
    }
    if (path.endsWith("/vmlinuz")) {
      return anyEntryOlder(changed, p.getParent().getFileName().toString(), Files::isDirectory);
    }
    return false;
  }

  private interface Entry {
    boolean matches(Path p);
  }

  /** Whether a {@code TREE/M/V/NAME} that {@code entry} accepts was modified before {@code t}. */
  private boolean anyEntryOlder(FileTime t, String name, Entry entry) throws IOException {
    if (!Files.isDirectory(dkmsTree)) {
      return false;
    }
    try (DirectoryStream<Path> modules = Files.newDirectoryStream(dkmsTree)) {
      for (Path m : modules) {
        if (m.getFileName().toString().startsWith(".") || !Files.isDirectory(m)) {
          continue;
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(m)) {
          for (Path v : versions) {
            Path e = v.resolve(name);
            if (entry.matches(e)
                && t.compareTo(Files.getLastModifiedTime(e, LinkOption.NOFOLLOW_LINKS)) > 0) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  private static String readLink(Path link) {
    try {
      return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : "";
    } catch (IOException e) {
      return "";
    }
  }
}
