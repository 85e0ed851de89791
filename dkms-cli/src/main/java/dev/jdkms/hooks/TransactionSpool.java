package dev.jdkms.hooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The notes a package manager's hooks leave for the last hook of the same transaction (rpm's
 * un-triggers and alpm's remove and upgrade hooks fire before the one call that runs the engine):
 * plain files of paths in one directory, kept in the dkms tree so that they survive nothing but the
 * transaction. Notes left by a transaction that never reached its end are taken along by the next.
 */
public final class TransactionSpool {
  private final Path dir;

  public TransactionSpool(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public boolean exists() {
    return Files.isDirectory(dir);
  }

  public boolean has(String note) {
    return Files.exists(dir.resolve(note));
  }

  /** Whether the note exists and holds something. */
  public boolean hasLines(String note) {
    try {
      return Files.size(dir.resolve(note)) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Adds {@code lines} to the note (made with the directory when missing). */
  public void append(String note, List<String> lines) throws IOException {
    Files.createDirectories(dir);
    Files.write(
        dir.resolve(note),
        lines,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** Replaces the note with {@code lines}. */
  public void write(String note, List<String> lines) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(note), lines, StandardCharsets.UTF_8);
  }

  /** The lines of every note whose name starts with {@code prefix}; the notes go. */
  public List<String> take(String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    if (!exists()) {
      return out;
    }
    List<Path> notes = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob(prefix) + "*")) {
      s.forEach(notes::add);
    }
    notes.sort(null);
    for (Path note : notes) {
      if (Files.isRegularFile(note)) {
        out.addAll(Files.readAllLines(note, StandardCharsets.UTF_8));
      }
      Files.deleteIfExists(note);
    }
    return out;
  }

  private static String glob(String literal) {
    return literal.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
  }
}
