package dev.jdkms.core.engine;

import dev.jdkms.core.build.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scratch directory of one engine run ({@code $tmp_location/jdkms-run-PID-*}: the jobserver
 * FIFO, the consoles' spool files). A run killed with -9 cannot remove its own, so every run first
 * removes those whose process is gone.
 */
final class RunDirectory {
  private static final String PREFIX = "jdkms-run-";

  private RunDirectory() {}

  static Path create(Path base) throws IOException {
    Files.createDirectories(base);
    try (DirectoryStream<Path> s = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path p : s) {
        String rest = p.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
          long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
          if (ProcessHandle.of(pid).isEmpty()) {
            FileTrees.deleteRecursively(p);
          }
        } catch (NumberFormatException | IOException e) {
          // not ours, or already gone
        }
      }
    }
    return Files.createTempDirectory(base, PREFIX + ProcessHandle.current().pid() + "-");
  }

  static void delete(Path dir) {
    try {
      FileTrees.deleteRecursively(dir);
    } catch (IOException e) {
      // scratch only; the next run removes it
    }
  }
}
