package dev.jdkms.core.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureTest {
  @TempDir Path dir;

  private static int sh(Console c, String script) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script);
    pb.redirectOutput(c.childOut());
    pb.redirectError(c.childErr());
    return pb.start().waitFor();
  }

  @Test
  void replaysBothStreamsAndChildOutputInOrder() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream merged = new ByteArrayOutputStream();
    // A capture going live into another (as a unit's into its kernel's) keeps child output too.
    try (Capture outer = Capture.open(dir);
        Capture c = Capture.open(dir)) {
      Console con = c.console();
      con.println("one");
      con.errln("two");
      sh(con, "echo three; echo four >&2");
      con.print("five...");
      con.println(" done.");
      assertThat(merged.size()).isZero();
      c.goLive(outer.console());
      con.println("six");
      sh(con, "printf 'seven\\n'");
      c.flush();
      outer.goLive(Console.of(new Tee(out, merged), new Tee(err, merged)));
    }
    assertThat(merged.toString(StandardCharsets.UTF_8))
        .isEqualTo("one\ntwo\nthree\nfour\nfive... done.\nsix\nseven\n");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("one\nthree\nfive... done.\nsix\nseven\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("two\nfour\n");
    try (var s = Files.list(dir)) {
      assertThat(s).as("spool files are removed").isEmpty();
    }
  }

  @Test
  void keepsBytesThatAreNotUtf8() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Capture c = Capture.open(dir)) {
      sh(c.console(), "printf '\\377\\376x'");
      c.goLive(Console.of(out, OutputStream.nullOutputStream()));
    }
    assertThat(out.toByteArray()).containsExactly(0xff, 0xfe, 'x');
  }

  /** Writes to two streams. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    Tee(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] x, int off, int len) throws java.io.IOException {
      a.write(x, off, len);
      b.write(x, off, len);
    }
  }

  private static final class OutputStream {
    static java.io.OutputStream nullOutputStream() {
      return java.io.OutputStream.nullOutputStream();
    }
  }
}
