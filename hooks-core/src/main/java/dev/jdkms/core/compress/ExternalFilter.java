package dev.jdkms.core.compress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A compression program used as a pipe, as GNU tar uses {@code lzip} and friends: its status is
 * checked when the stream ends, so a failed or missing program is an {@link IOException}.
 */
final class ExternalFilter {
  private ExternalFilter() {}

  /** A stream whose bytes go through {@code cmd} into {@code sink}; closing it closes the sink. */
  static OutputStream compressor(List<String> cmd, OutputStream sink) throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    IOException[] pumpFailure = new IOException[1];
    Thread pump =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                in.transferTo(sink);
              } catch (IOException e) {
                pumpFailure[0] = e;
              }
            },
            "jdkms-" + cmd.get(0));
    pump.setDaemon(true);
    pump.start();
    OutputStream stdin = p.getOutputStream();
    return new OutputStream() {
      private boolean closed;

      @Override
      public void write(int b) throws IOException {
        stdin.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        stdin.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try {
          stdin.close();
          pump.join();
          int status = p.waitFor();
          if (pumpFailure[0] != null) {
            throw pumpFailure[0];
          }
          if (status != 0) {
            throw new IOException(cmd.get(0) + " exited with status " + status);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
          throw new IOException("interrupted while running " + cmd.get(0), e);
        } finally {
          sink.close();
        }
      }
    };
  }

  /** The output of {@code cmd} reading {@code file}; its exit status is checked at the end. */
  static InputStream decompressor(List<String> cmd, Path file) throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(file.toFile())
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    return new FilterInputStream(p.getInputStream()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        return b < 0 ? atEnd() : b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        return n < 0 ? atEnd() : n;
      }

      private int atEnd() throws IOException {
        try {
          int status = p.waitFor();
          if (status != 0) {
            throw new IOException(
                cmd.get(0) + " could not decompress the archive (status " + status + ")");
          }
          return -1;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while running " + cmd.get(0), e);
        }
      }

      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          p.destroyForcibly();
        }
      }
    };
  }

  /**
   * {@code data} decompressed by {@code tool -dc}: for when a Java decoder cannot be loaded (a
   * future JDK without sun.misc.Unsafe, which aircompressor uses).
   */
  static byte[] decompress(String tool, byte[] data) throws IOException {
    byte[] out;
    int status;
    try {
      Process p =
          new ProcessBuilder(tool, "-dc").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Thread feeder =
          new Thread(
              () -> {
                try (var in = p.getOutputStream()) {
                  in.write(data);
                } catch (IOException ignored) {
                  // the tool stopped reading: its exit status says why
                }
              });
      feeder.start();
      out = p.getInputStream().readAllBytes();
      feeder.join();
      status = p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while decompressing with " + tool, e);
    } catch (IOException e) {
      throw new IOException("cannot decompress with " + tool + ": " + e.getMessage(), e);
    }
    if (status != 0) {
      throw new IOException("corrupt " + tool + " stream (" + tool + " -dc failed)");
    }
    return out;
  }
}
