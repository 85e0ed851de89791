package dev.jdkms.core.tarball;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Copies and deletes the trees of an extracted tarball: {@code cp -fpr} semantics (modes and times
 * kept, symbolic links copied as links, existing files replaced) and an {@code rm -rf} that also
 * gets through directories the archive made read-only.
 */
final class TreeCopier {
  private TreeCopier() {}

  /**
   * Copies what {@code from} contains into the existing directory {@code to}; only top-level
   * entries whose name {@code topLevel} accepts.
   */
  static void copyContents(Path from, Path to, Predicate<String> topLevel) throws IOException {
    List<Path> children;
    try (Stream<Path> s = Files.list(from)) {
      children = s.filter(p -> topLevel.test(p.getFileName().toString())).sorted().toList();
    }
    for (Path child : children) {
      copy(child, to.resolve(child.getFileName().toString()));
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            Path t = to.resolve(from.relativize(d).toString());
            if (!Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
              Files.deleteIfExists(t);
              Files.createDirectory(t);
            }
            // writable while it is filled; the real mode is set afterwards
            Files.setPosixFilePermissions(t, withOwnerAccess(Files.getPosixFilePermissions(d)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Path t = to.resolve(from.relativize(f).toString());
            Files.copy(
                f,
                t,
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Path t = to.resolve(from.relativize(d).toString());
            Files.setPosixFilePermissions(t, Files.getPosixFilePermissions(d));
            Files.setLastModifiedTime(t, Files.getLastModifiedTime(d));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** {@code rm -rf}, making directories accessible first; nothing happens if it is absent. */
  static void delete(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
      return;
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            Files.setPosixFilePermissions(d, withOwnerAccess(Files.getPosixFilePermissions(d)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Files.delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** {@link #delete} for cleanup paths, where a failure must not hide the original one. */
  static void deleteQuietly(Path p) {
    try {
      delete(p);
    } catch (IOException | RuntimeException e) {
      // best effort: what remains is a hidden .tmp_* entry or a private temp dir
    }
  }

  private static Set<PosixFilePermission> withOwnerAccess(Set<PosixFilePermission> s) {
    Set<PosixFilePermission> r =
        s.isEmpty() ? EnumSet.noneOf(PosixFilePermission.class) : EnumSet.copyOf(s);
    r.add(PosixFilePermission.OWNER_READ);
    r.add(PosixFilePermission.OWNER_WRITE);
    r.add(PosixFilePermission.OWNER_EXECUTE);
    return r;
  }
}
