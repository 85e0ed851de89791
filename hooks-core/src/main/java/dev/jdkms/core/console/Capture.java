package dev.jdkms.core.console;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what one piece of work prints — its own stdout and stderr lines and the output of the
 * child processes it starts — in one ordered list, so that work running in parallel can be shown
 * afterwards exactly as if it had run alone: {@link #goLive} replays the record to a real console
 * (each chunk to the stream it was written to, in the order written) and from then on passes
 * everything through.
 *
 * <p>Child processes write to two spool files (one per stream) while the capture is not live. Every
 * child the work starts has finished before the work writes its next line, so collecting the spool
 * files' new bytes before each write keeps the order; only the interleaving of one child's stdout
 * with its own stderr is not kept (stdout comes first).
 */
public final class Capture implements AutoCloseable {
  private record Chunk(boolean err, byte[] data) {}

  private final Path dir;
  private final Path spoolOut;
  private final Path spoolErr;
  private long outPos;
  private long errPos;
  private final List<Chunk> chunks = new ArrayList<>();
  private Console live;
  private final Console console;

  private Capture(Path dir) throws IOException {
    this.dir = dir;
    this.spoolOut = dir.resolve("stdout");
    this.spoolErr = dir.resolve("stderr");
    Files.createFile(spoolOut);
    Files.createFile(spoolErr);
    this.console = Console.capturing(this);
  }

  /** A new capture whose spool files live in a fresh directory under {@code tmp}. */
  public static Capture open(Path tmp) throws IOException {
    Files.createDirectories(tmp);
    return new Capture(Files.createTempDirectory(tmp, "jdkms-capture-"));
  }

  /** The console the work writes to. */
  public Console console() {
    return console;
  }

  OutputStream stream(boolean err) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        record(err, java.util.Arrays.copyOfRange(b, off, off + len));
      }
    };
  }

  synchronized Redirect childRedirect(boolean err) {
    if (live != null) {
      return err ? live.childErr() : live.childOut();
    }
    return Redirect.appendTo((err ? spoolErr : spoolOut).toFile());
  }

  private synchronized void record(boolean err, byte[] data) {
    drainSpools();
    emit(new Chunk(err, data));
  }

  private void emit(Chunk c) {
    if (live == null) {
      chunks.add(c);
    } else {
      live.raw(c.err(), c.data());
    }
  }

  /** Collects what children wrote since the last look (stdout first, then stderr). */
  private void drainSpools() {
    outPos = drain(spoolOut, outPos, false);
    errPos = drain(spoolErr, errPos, true);
  }

  private long drain(Path spool, long pos, boolean err) {
    try (FileChannel ch = FileChannel.open(spool, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size <= pos) {
        return pos;
      }
      ByteBuffer b = ByteBuffer.allocate((int) (size - pos));
      while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
        // keep reading
      }
      emit(new Chunk(err, b.array()));
      return size;
    } catch (IOException e) {
      return pos;
    }
  }

  /**
   * Replays everything recorded so far to {@code target} and passes all later output straight
   * through (children started from now on write to {@code target}'s descriptors).
   */
  public synchronized void goLive(Console target) {
    drainSpools();
    live = target;
    List<Chunk> pending = new ArrayList<>(chunks);
    chunks.clear();
    pending.forEach(this::emit);
  }

  /** Collects children's output written since the last write (call when the work has ended). */
  public synchronized void flush() {
    drainSpools();
  }

  /** The recorded text of one stream so far (tests, reports). */
  public synchronized String text(boolean err) {
    drainSpools();
    StringBuilder b = new StringBuilder();
    for (Chunk c : chunks) {
      if (c.err() == err) {
        b.append(new String(c.data(), StandardCharsets.UTF_8));
      }
    }
    return b.toString();
  }

  @Override
  public synchronized void close() {
    drainSpools();
    try {
      Files.deleteIfExists(spoolOut);
      Files.deleteIfExists(spoolErr);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
