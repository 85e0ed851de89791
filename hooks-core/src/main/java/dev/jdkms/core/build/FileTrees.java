package dev.jdkms.core.build;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** File-tree helpers with the semantics of the coreutils calls upstream makes. */
public final class FileTrees {
  private FileTrees() {}

  /** {@code rm -rf}. */
  public static void deleteRecursively(Path p) throws IOException {
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

  /**
   * {@code cp -a SRC/ DST}: follows {@code src} itself when it is a symlink, keeps symlinks inside,
   * modes and times; merges into an existing {@code dst}.
   */
  public static void copyTree(Path src, Path dst) throws IOException {
    Path from = src.toRealPath();
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            Path t = dst.resolve(from.relativize(d).toString());
            if (!Files.isDirectory(t)) {
              Files.createDirectories(t);
            }
            copyMode(d, t);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Path t = dst.resolve(from.relativize(f).toString());
            Files.copy(
                f,
                t,
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void copyMode(Path from, Path to) throws IOException {
    Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
  }

  public static void chmod755(Path p) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * upstream's {@code compressed_or_uncompressed DIR NAME}: {@code NAME.ko} if it exists, else
   * {@code NAME.ko<suffix>}.
   */
  public static Optional<Path> moduleFile(Path dir, String name, String suffix) {
    Path plain = dir.resolve(name + ".ko");
    if (Files.exists(plain)) {
      return Optional.of(plain);
    }
    Path compressed = dir.resolve(name + ".ko" + suffix);
    if (Files.exists(compressed)) {
      return Optional.of(compressed);
    }
    return Optional.empty();
  }

  /**
   * {@code find DIR -type d -empty -delete}: empty directories, deepest first, DIR included;
   * symlinks are never followed.
   */
  public static void deleteEmptyDirs(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    java.util.List<Path> dirs = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(dirs::add);
    }
    dirs.sort((x, y) -> y.getNameCount() - x.getNameCount());
    for (Path d : dirs) {
      try (java.util.stream.Stream<Path> s = Files.list(d)) {
        if (s.findAny().isEmpty()) {
          Files.delete(d);
        }
      }
    }
  }
}
