package dev.jdkms.core.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Upstream dkms v3.4.3, the reference the behaviour is checked against: {@code
 * ../shared/compat/upstream/dkms-3.4.3.tar.gz} next to the repository, unpacked once per test JVM
 * into a temporary directory that is removed when the JVM exits. It is GPL and never copied into
 * this project. Every machine that has the repository has {@code ../shared}, so a missing archive
 * fails the test that needs it (never a skip: a skipped comparison is a comparison nobody made).
 */
public final class Upstream {
  /** The archive's top directory, as {@code git archive --prefix} wrote it. */
  private static final String TOP = "dkms-3.4.3";

  private static Path unpacked;

  private Upstream() {}

  /**
   * {@code ../shared}: the surefire property {@code jdkms.shared} (set by the parent pom), else the
   * directory beside the repository this module is in.
   */
  public static Path shared() {
    String prop = System.getProperty("jdkms.shared");
    Path dir = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath().resolve("../../shared");
    return dir.normalize();
  }

  /** The release tarball; a test fails with the reason when it is not there. */
  public static Path archive() {
    Path tgz = shared().resolve("compat/upstream/" + TOP + ".tar.gz");
    if (!Files.isReadable(tgz)) {
      throw new AssertionError(
          "upstream dkms is not at "
              + tgz
              + ": the tests compare with it and need ../shared next to the repository");
    }
    return tgz;
  }

  /** The unpacked tree ({@code dkms.in}, {@code run_test.sh}, {@code test/}). */
  public static synchronized Path tree() {
    if (unpacked == null) {
      unpacked = unpack(archive());
    }
    return unpacked;
  }

  /** Upstream's {@code dkms.in}, the script before {@code make} fills in its version. */
  public static Path source() {
    return tree().resolve("dkms.in");
  }

  /** Upstream's test fixtures ({@code test/dkms_*}), each with its dkms.conf. */
  public static Path testFixtures() {
    return tree().resolve("test");
  }

  private static Path unpack(Path tgz) {
    try {
      Path dir = Files.createTempDirectory("jdkms-upstream-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      Process p =
          new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", dir.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0 || !Files.isRegularFile(dir.resolve(TOP + "/dkms.in"))) {
        throw new AssertionError("unpacking " + tgz + " failed: " + out);
      }
      return dir.resolve(TOP);
    } catch (IOException e) {
      throw new AssertionError("unpacking " + tgz + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while unpacking " + tgz, e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /**
   * The text of one shell function of upstream's dkms, from its {@code name()} line to the first
   * line that is a lone closing brace.
   */
  public static String function(String name) {
    Path src = source();
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
