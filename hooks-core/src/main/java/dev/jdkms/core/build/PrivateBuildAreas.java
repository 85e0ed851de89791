package dev.jdkms.core.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The private build areas of one engine run. While any of them is in use, {@code M/V/build} must
 * stay where it is: it is the mount point the builds' children see (removing it would unmount their
 * view). A failed build's tree is moved into {@code M/V/build}, where its messages say its make.log
 * is; the directory is removed when the last build of the version is done and it is empty, as a
 * successful upstream build leaves it.
 */
public final class PrivateBuildAreas {
  private final Map<Path, Integer> inUse = new HashMap<>();
  private final Map<Path, Path> keptLogs = new HashMap<>();

  /**
   * Removes every private area beside {@code buildDir} that a killed run left (call it before any
   * build of the version starts): a run killed after a build was moved into place but before its
   * area was removed leaves one that no later build of that kernel would clear.
   */
  public synchronized void sweep(Path buildDir) throws IOException {
    Path versionDir = buildDir.getParent();
    if (inUse.containsKey(buildDir) || !Files.isDirectory(versionDir)) {
      return;
    }
    try (Stream<Path> s = Files.list(versionDir)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().startsWith(".build-") && Files.isDirectory(p)) {
          FileTrees.deleteRecursively(p);
        }
      }
    }
  }

  /** A fresh private area for a build of the version whose {@code build/} is {@code buildDir}. */
  public synchronized BuildArea enter(Path buildDir, String kernel, String arch)
      throws IOException {
    Files.createDirectories(buildDir);
    BuildArea area = BuildArea.privateFor(buildDir, kernel, arch);
    // left by a build that was killed
    FileTrees.deleteRecursively(area.dir());
    inUse.merge(buildDir, 1, Integer::sum);
    return area;
  }

  /**
   * Ends a build: a failed one's make.log is kept (see {@link FailedLogs#keep}) and its tree
   * becomes {@code build/}; a successful one's area is gone already or removed now.
   */
  public synchronized void leave(BuildArea area, boolean failed) throws IOException {
    Path buildDir = area.visible();
    try {
      if (failed && Files.isDirectory(area.dir())) {
        Path kept = FailedLogs.keep(area.dir());
        if (kept != null) {
          keptLogs.put(area.dir(), kept);
        }
        clear(buildDir);
        try (Stream<Path> s = Files.list(area.dir())) {
          for (Path p : s.toList()) {
            Files.move(p, buildDir.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
          }
        }
      }
      FileTrees.deleteRecursively(area.dir());
    } finally {
      if (inUse.merge(buildDir, -1, Integer::sum) <= 0) {
        inUse.remove(buildDir);
        if (Files.isDirectory(buildDir) && isEmpty(buildDir)) {
          Files.delete(buildDir);
        }
      }
    }
  }

  /** Where the make.log of a failed build for this kernel and arch was kept, if it was. */
  public synchronized Path keptLog(Path buildDir, String kernel, String arch) {
    return keptLogs.get(BuildArea.privateFor(buildDir, kernel, arch).dir());
  }

  private static void clear(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        FileTrees.deleteRecursively(p);
      }
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
