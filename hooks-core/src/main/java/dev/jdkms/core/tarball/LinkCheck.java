package dev.jdkms.core.tarball;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Whether a symbolic link stays inside a directory tree, judged from its text alone: it must be
 * relative, and its {@code ..} components must all come first and climb no higher than the tree's
 * top. A {@code ..} after a name is refused because the name may itself be a link (for {@code s ->
 * .}, {@code s/..} leaves the tree).
 */
final class LinkCheck {
  private LinkCheck() {}

  /**
   * @param linkPath the link's path relative to the tree's top ({@code a/b/link})
   * @param target the link's text
   */
  static boolean staysInside(String linkPath, String target) {
    if (target.isEmpty() || target.startsWith("/")) {
      return false;
    }
    int depth = 0;
    for (String c : linkPath.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        depth++;
      }
    }
    depth--; // the link's own name
    boolean named = false;
    int climbs = 0;
    for (String c : target.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (named || ++climbs > depth) {
          return false;
        }
      } else {
        named = true;
      }
    }
    return true;
  }

  /** The first symbolic link under {@code top} that leaves it, if any. */
  static Optional<Path> firstEscapingLink(Path top) throws IOException {
    Path[] found = new Path[1];
    Files.walkFileTree(
        top,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            if (a.isSymbolicLink()
                && !staysInside(
                    top.relativize(f).toString(), Files.readSymbolicLink(f).toString())) {
              found[0] = f;
              return FileVisitResult.TERMINATE;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return Optional.ofNullable(found[0]);
  }
}
