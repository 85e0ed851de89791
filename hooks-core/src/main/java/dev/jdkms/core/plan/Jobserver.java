package dev.jdkms.core.plan;

import dev.jdkms.core.exec.JobserverShell;
import dev.jdkms.core.exec.Toolchain;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GNU make jobserver shared by every build of a transaction, so that all makes together never run
 * more jobs than the budget ({@code parallel_jobs}, {@code -j}).
 *
 * <p>The pool is a FIFO holding {@code budget} one-byte tokens. Every make joins it through {@code
 * MAKEFLAGS=-j --jobserver-auth=3,3} with the FIFO open on descriptor 3 (make 4.3 reads the
 * descriptors; newer makes also accept {@code fifo:PATH}). A make runs its first job on the
 * implicit token every make owns and needs a token from the pool for each further job; the shell
 * that starts a build command therefore takes one token from the pool for the command's lifetime
 * ({@link JobserverShell}), which makes the implicit tokens part of the budget too.
 *
 * <p>Tokens a killed make never returned are put back ({@link #refill}) whenever nothing runs.
 */
public final class Jobserver implements AutoCloseable {
  private final Path dir;
  private final Path fifo;
  private final int budget;
  private final FileChannel writer;
  private final FileInputStream reader;
  private volatile boolean closed;

  private Jobserver(Path dir, int budget) throws IOException {
    this.dir = dir;
    this.fifo = dir.resolve("jobserver");
    this.budget = budget;
    Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
    try {
      if (p.waitFor() != 0) {
        throw new IOException("mkfifo " + fifo + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    // Read-write first: opening a FIFO that way never blocks, and the reader then has a writer.
    writer = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
    reader = new FileInputStream(fifo.toFile());
    put(budget);
    JobserverShell.writeMake(fifo, Toolchain.find(System.getenv("PATH"), "make"));
  }

  /**
   * The most tokens a pool holds: far more jobs than any machine runs, and well within a pipe's 64
   * KiB, so that filling the pool can never block (parallel_jobs=1000000 in framework.conf).
   */
  static final int MAX_TOKENS = 4096;

  /**
   * The job budget a {@code parallel_jobs} setting (or {@code -j}) asks for: the number when it is
   * a positive one, else (empty, meaning make -j without a limit, or not a number) one job per CPU.
   */
  public static int budgetFor(String parallelJobs) {
    try {
      int n = Integer.parseInt(parallelJobs.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // empty or not a number (or beyond an int): one job per CPU
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * A jobserver with {@code budget} tokens (at least 1, at most {@link #MAX_TOKENS}), its FIFO in a
   * new directory in tmp.
   */
  public static Jobserver start(Path tmp, int budget) throws IOException {
    Files.createDirectories(tmp);
    return new Jobserver(
        Files.createTempDirectory(tmp, "jdkms-jobs-"), Math.min(MAX_TOKENS, Math.max(1, budget)));
  }

  public int budget() {
    return budget;
  }

  public Path fifo() {
    return fifo;
  }

  /**
   * Tops the pool up to the budget: call it only when no make of ours runs, so every token should
   * be in the pool (a make killed while holding one never gives it back).
   */
  public synchronized void refill() {
    if (closed) {
      return;
    }
    try {
      int missing = budget - reader.available();
      if (missing > 0) {
        put(missing);
      }
    } catch (IOException e) {
      throw new IllegalStateException("jobserver " + fifo + ": " + e.getMessage(), e);
    }
  }

  /** Tokens currently in the pool (not held by a running command or its make's jobs). */
  public synchronized int available() throws IOException {
    return reader.available();
  }

  private void put(int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    for (int i = 0; i < n; i++) {
      b.put((byte) '+');
    }
    b.flip();
    while (b.hasRemaining()) {
      writer.write(b);
    }
  }

  /** What a build's environment gets: make joins the pool, the shell opens the FIFO. */
  public Map<String, String> environment(String existingMakeflags) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(JobserverShell.FIFO_ENV, fifo.toString());
    env.put("MAKEFLAGS", makeflags(existingMakeflags));
    return env;
  }

  /** The user's MAKEFLAGS without job options, plus the jobserver's. */
  static String makeflags(String existing) {
    StringBuilder b = new StringBuilder();
    if (existing != null) {
      for (String w : existing.trim().split("\\s+")) {
        if (w.isEmpty() || w.matches("-j[0-9]*|--jobs(=.*)?|--jobserver-(auth|fds)=.*|-l[0-9.]*")) {
          continue;
        }
        b.append(w).append(' ');
      }
    }
    return b + "-j --jobserver-auth=3,3";
  }

  @Override
  public void close() throws IOException {
    closed = true;
    synchronized (this) {
      try {
        reader.close();
      } finally {
        writer.close();
        Files.deleteIfExists(fifo);
        Path bin = JobserverShell.makeDir(fifo);
        Files.deleteIfExists(bin.resolve("make"));
        Files.deleteIfExists(bin);
        Files.deleteIfExists(dir);
      }
    }
  }
}
