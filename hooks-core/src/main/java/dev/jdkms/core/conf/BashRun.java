package dev.jdkms.core.conf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bash that sources configuration files, bounded: its output may not exceed {@link
 * #MAX_OUTPUT_BYTES}, and it is stopped after a timeout. A file that prints gigabytes into a
 * variable, or waits forever (a background job keeping the output open, a command that never
 * returns), would otherwise exhaust the heap or hang every dkms run and kernel hook.
 */
final class BashRun {
  /** More than any configuration holds (the largest real dkms.conf values are a few KiB). */
  static final int MAX_OUTPUT_BYTES = 64 << 20;

  record Result(byte[] stdout, String stderr, int status) {}

  private BashRun() {}

  /**
   * Starts {@code pb} and collects its stdout (and stderr when {@code piped}).
   *
   * @param what the files being read, for messages
   */
  static Result run(ProcessBuilder pb, boolean piped, Duration timeout, String what)
      throws ConfException {
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new ConfException("cannot run bash to read " + what + ": " + e.getMessage());
    }
    FutureTask<byte[]> out = drain(p.getInputStream(), "jdkms-conf-stdout");
    FutureTask<byte[]> err = piped ? drain(p.getErrorStream(), "jdkms-conf-stderr") : null;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      byte[] stdout = out.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new TimeoutException();
      }
      String stderr =
          err == null ? "" : new String(err.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      return new Result(stdout, stderr, p.exitValue());
    } catch (TimeoutException e) {
      stop(p);
      throw new ConfException(
          "reading " + what + " did not finish within " + timeout.toSeconds() + " seconds");
    } catch (ExecutionException e) {
      stop(p);
      throw new ConfException("cannot read " + what + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      stop(p);
      Thread.currentThread().interrupt();
      throw new ConfException("interrupted while reading " + what);
    }
  }

  /** Kills bash and what it started (a reader blocked on an orphan's pipe is a daemon). */
  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static FutureTask<byte[]> drain(InputStream in, String name) {
    FutureTask<byte[]> f = new FutureTask<>(() -> readAll(in));
    Thread t = new Thread(f, name);
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        if (b.size() + n > MAX_OUTPUT_BYTES) {
          throw new IOException(
              "its variables hold more than " + (MAX_OUTPUT_BYTES >> 20) + " MiB");
        }
        b.write(buf, 0, n);
      }
      return b.toByteArray();
    }
  }
}
