package dev.jdkms.hooks.debian;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** What a removed kernel leaves of ours in {@code /lib/modules/K}: empty directories. */
final class KernelDirectories {
  private KernelDirectories() {}

  /** Removes the empty directories under {@code K/updates}, then {@code K} itself if empty. */
  static void removeEmpty(Path kernelDir) {
    Path updates = kernelDir.resolve("updates");
    if (Files.isDirectory(updates, LinkOption.NOFOLLOW_LINKS)) {
      removeEmptyBelow(updates);
    }
    deleteIfEmpty(kernelDir);
  }

  /** Depth first: a directory whose children were all empty directories goes too. */
  private static void removeEmptyBelow(Path dir) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path child : s) {
        if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
          removeEmptyBelow(child);
        }
      }
    } catch (IOException e) {
      return;
    }
    deleteIfEmpty(dir);
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException e) {
      // still holds files: not ours to remove
    } catch (IOException e) {
      // a directory we cannot remove stays; the kernel is gone either way
    }
  }
}
