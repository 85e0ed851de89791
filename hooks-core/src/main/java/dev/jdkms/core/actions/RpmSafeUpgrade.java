package dev.jdkms.core.actions;

import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code --rpm_safe_upgrade}: during {@code rpm -U} the new package's {@code %post} (add) runs
 * before the old package's {@code %preun} (remove) of the same version. add leaves a lock file
 * keyed by rpm's process (our grandparent) and its start time; the matching remove finds it,
 * deletes it and does nothing else. The file format is upstream's, so either dkms can pair with the
 * other.
 */
final class RpmSafeUpgrade {
  private static final String PREFIX = "dkms_rpm_safe_upgrade_lock.";

  private RpmSafeUpgrade() {}

  /** Written by add. */
  static void writeLock(Session session, String module, String version) throws IOException {
    Optional<Long> pppid = grandparent(session);
    if (pppid.isEmpty()) {
      return;
    }
    Path dir = Path.of(session.setting("tmp_location"));
    Path lock = Files.createTempFile(dir, PREFIX + pppid.get() + ".", "");
    String start = startTime(pppid.get());
    Files.writeString(
        lock,
        module + "-" + version + "\n" + (start.isEmpty() ? "" : start + "\n"),
        StandardCharsets.UTF_8);
  }

  /** Checked by remove: true when this remove is the old package's half of an upgrade. */
  static boolean cancelsRemove(Session session, String module, String version) throws IOException {
    Optional<Long> pppid = grandparent(session);
    if (pppid.isEmpty()) {
      return false;
    }
    String start = startTime(pppid.get());
    Path dir = Path.of(session.setting("tmp_location"));
    if (start.isEmpty() || !Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, PREFIX + pppid.get() + ".*")) {
      for (Path lock : s) {
        if (!Files.isRegularFile(lock)) {
          continue;
        }
        List<String> lines = Files.readAllLines(lock, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
          continue;
        }
        if (lines.get(0).equals(module + "-" + version)
            && lines.get(lines.size() - 1).equals(start)) {
          Files.deleteIfExists(lock);
          return true;
        }
      }
    }
    return false;
  }

  /** The parent of the process that ran dkms ({@code PPid} of our parent). */
  private static Optional<Long> grandparent(Session session) {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isEmpty()) {
      return Optional.empty();
    }
    try {
      for (String l : Files.readAllLines(session.host().processStatus(parent.get().pid()))) {
        if (l.startsWith("PPid:")) {
          return Optional.of(Long.parseLong(l.substring(5).trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** {@code ps -o lstart}, the start-time text upstream stores. */
  private static String startTime(long pid) {
    try {
      Process p =
          new ProcessBuilder("ps", "-o", "lstart", "--no-headers", "-p", Long.toString(pid))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.strip();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
