package dev.jdkms.core.tree;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The one exclusive lock around every change of the DKMS tree. Upstream has none, so a
 * kernel-install hook and a boot-time service could build into the same directory at once. A second
 * process waits; after a second it says so, once. Children of the holder (scripts that call dkms
 * again) inherit the lock through {@link #HELD_ENV} instead of deadlocking.
 */
public final class TreeLock implements AutoCloseable {
  /** Set in children's environment while this process holds the lock. */
  public static final String HELD_ENV = "JDKMS_TREE_LOCK_HELD";

  private final FileChannel channel;
  private final FileLock lock;

  private TreeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code lockFile}, waiting as long as needed; {@code onWait} is told once when
   * the wait lasts more than {@code noticeMillis}.
   */
  public static TreeLock acquire(Path lockFile, long noticeMillis, Consumer<String> onWait)
      throws IOException {
    Files.createDirectories(lockFile.getParent());
    FileChannel ch =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      long start = System.nanoTime();
      boolean told = false;
      while (true) {
        FileLock l;
        try {
          l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          l = null;
        }
        if (l != null) {
          return new TreeLock(ch, l);
        }
        if (!told && (System.nanoTime() - start) / 1_000_000 >= noticeMillis) {
          onWait.accept(
              "jdkms: waiting for another dkms process to finish changing the DKMS tree (lock "
                  + lockFile
                  + ")");
          told = true;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for " + lockFile, e);
        }
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
