package dev.jdkms.core.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every failed build's make.log is kept. Upstream leaves the last failure in {@code M/V/build/}
 * (the path its error message names) and deletes it when the next build starts, so the log of the
 * first kernel's failure is gone by the time anybody reads it. jdkms copies each failed log to
 * {@code M/V/.logs/make.log.N} (N counting up from 1, never reused; the dot keeps the directory out
 * of upstream's globs, and {@code dkms remove} deletes it with the version), and shows the
 * compiler's first error with a few lines around it.
 */
public final class FailedLogs {
  /** Marks a build dir whose make.log was already kept. */
  private static final String KEPT = ".jdkms-log-kept";

  private static final Pattern COMPILER_ERROR =
      Pattern.compile("(^|[\\s:])(fatal )?error:|^ERROR: |undefined reference to");
  private static final Pattern MAKE_ERROR = Pattern.compile("^make(\\[\\d+\\])?: \\*\\*\\* ");

  private FailedLogs() {}

  /**
   * Keeps {@code buildDir/make.log} (a failed build's log) as the next {@code make.log.N} beside
   * the build dir, once; returns where it was kept, or null when there was nothing to keep.
   */
  public static Path keep(Path buildDir) throws IOException {
    Path log = buildDir.resolve("make.log");
    Path marker = buildDir.resolve(KEPT);
    if (!Files.isRegularFile(log)) {
      return null;
    }
    if (Files.isRegularFile(marker)) {
      return Path.of(Files.readString(marker, StandardCharsets.UTF_8).strip());
    }
    Path dir = buildDir.resolveSibling(".logs");
    Files.createDirectories(dir);
    for (int n = 1; ; n++) {
      Path target = dir.resolve("make.log." + n);
      if (Files.exists(target)) {
        continue;
      }
      Path tmp = dir.resolve(".make.log." + n + ".tmp");
      Files.copy(log, tmp, StandardCopyOption.REPLACE_EXISTING);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        if (Files.exists(target)) {
          continue;
        }
        throw e;
      }
      Files.writeString(marker, target + "\n", StandardCharsets.UTF_8);
      return target;
    }
  }

  /**
   * The first compiler error in a make.log with {@code before} lines before it and {@code after}
   * after it; else the first failing make line with its context; else the log's last lines.
   */
  public static List<String> excerpt(Path log, int before, int after) throws IOException {
    // Compilers write UTF-8 (quotes); anything undecodable becomes U+FFFD rather than failing.
    List<String> lines =
        List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n", -1));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    int at = -1;
    for (int i = 0; i < lines.size() && at < 0; i++) {
      if (COMPILER_ERROR.matcher(lines.get(i)).find()) {
        at = i;
      }
    }
    for (int i = 0; i < lines.size() && at < 0; i++) {
      if (MAKE_ERROR.matcher(lines.get(i)).find()) {
        at = i;
      }
    }
    if (at < 0) {
      return new ArrayList<>(
          lines.subList(Math.max(0, lines.size() - before - after - 1), lines.size()));
    }
    return new ArrayList<>(
        lines.subList(Math.max(0, at - before), Math.min(lines.size(), at + after + 1)));
  }
}
