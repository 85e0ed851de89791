package dev.jdkms.core.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The upstream dkms source the behaviour is checked against, read at test time when it is present
 * (it is GPL and never copied into this project). Tests that need it are skipped without it; they
 * always also check a table of expected values recorded from upstream.
 */
public final class Upstream {
  /** Where the reference source lives; {@code -Ddkms.upstream.source=...} overrides. */
  public static Path source() {
    return Path.of(System.getProperty("dkms.upstream.source", "/work/scratch/dkms-3.4.3/dkms.in"));
  }

  private Upstream() {}

  /**
   * The text of one shell function of upstream's dkms, from its {@code name()} line to the first
   * line that is a lone closing brace; the test is skipped when the source is not available.
   */
  public static String function(String name) {
    Path src = source();
    assumeTrue(Files.isReadable(src), "upstream dkms source not available at " + src);
    List<String> lines;
    try {
      lines = Files.readAllLines(src, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    StringBuilder b = new StringBuilder();
    boolean in = false;
    for (String l : lines) {
      if (!in && (l.equals(name + "()") || l.startsWith(name + "() "))) {
        in = true;
      }
      if (in) {
        b.append(l).append('\n');
        if (l.equals("}") || l.equals(")")) {
          return b.toString();
        }
      }
    }
    throw new AssertionError("no function " + name + " in " + src);
  }
}
