package dev.jdkms.core.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a kernel module can be built at all here: {@code make} and a C compiler on PATH ({@code
 * cc}, {@code gcc}, {@code clang}, or a versioned or triplet gcc such as {@code gcc-12} or {@code
 * x86_64-linux-gnu-gcc-12}, which Debian's headers name). Checked before a build starts, so a
 * machine without them gets a sentence rather than make's "command not found".
 */
public final class Toolchain {
  private static final List<String> COMPILERS = List.of("cc", "gcc", "clang");
  private static final Pattern VERSIONED_GCC = Pattern.compile("([a-z0-9_]+-)*gcc-[0-9]+");

  private Toolchain() {}

  /** {@code make} and a compiler are executable files in the directories of {@code path}. */
  public static boolean onPath(String path) {
    if (path == null || path.isEmpty()) {
      return false;
    }
    boolean make = false;
    boolean compiler = false;
    for (String d : path.split(":")) {
      if (d.isEmpty()) {
        continue;
      }
      Path dir = Path.of(d);
      make |= executable(dir.resolve("make"));
      compiler |= COMPILERS.stream().anyMatch(c -> executable(dir.resolve(c)));
      compiler |= !compiler && hasVersionedGcc(dir);
    }
    return make && compiler;
  }

  /**
   * The {@code command} the shell would run from {@code path} (a PATH value): the first executable
   * file of that name in its absolute directories.
   */
  public static Optional<Path> find(String path, String command) {
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(":")) {
      if (d.startsWith("/") && executable(Path.of(d, command))) {
        return Optional.of(Path.of(d, command));
      }
    }
    return Optional.empty();
  }

  private static boolean executable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }

  private static boolean hasVersionedGcc(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*gcc-*")) {
      for (Path p : s) {
        if (VERSIONED_GCC.matcher(p.getFileName().toString()).matches() && executable(p)) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
