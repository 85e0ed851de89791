package dev.jdkms.core.sign;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A file that is written beside its target and renamed over it only once complete and synced, so a
 * crash or a full disk leaves either the old file or the new one, never a half-written key or
 * module. Renaming within one directory is atomic on every Linux file system.
 */
final class AtomicFile implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private boolean committed;

  private AtomicFile(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  /**
   * Creates the temporary file next to {@code target}. It starts with mode 0600 (the JDK's default
   * for temporary files), so a private key is never readable by others, not even briefly.
   */
  static AtomicFile beside(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    return new AtomicFile(absolute, temp);
  }

  /** The temporary file, for readers that need the content written so far. */
  Path temp() {
    return temp;
  }

  /** Appends {@code bytes} to the temporary file. */
  void append(byte[] bytes) throws IOException {
    Files.write(temp, bytes, StandardOpenOption.APPEND);
  }

  /** Opens the temporary file for appending; the caller closes the stream. */
  OutputStream append() throws IOException {
    return Files.newOutputStream(temp, StandardOpenOption.APPEND);
  }

  /**
   * Syncs the content, applies {@code permissions} (ignored on file systems without POSIX modes)
   * and renames the file over the target.
   */
  void commit(Set<PosixFilePermission> permissions) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(temp, permissions);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    committed = true;
    syncDirectory(target.getParent());
  }

  // Makes the rename itself durable. Best effort: some file systems refuse to sync a directory,
  // and the file is already complete either way.
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // the rename happened; only its durability across a power loss is not guaranteed
    }
  }

  /** Removes the temporary file unless it was committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      Files.deleteIfExists(temp);
    }
  }
}
