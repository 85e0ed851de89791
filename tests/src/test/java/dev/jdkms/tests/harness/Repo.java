package dev.jdkms.tests.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the jdkms checkout is, and the files of it that the tests use. */
public final class Repo {
  private static final Path ROOT = locate();

  private Repo() {}

  /** The checkout's root: {@code -Djdkms.repo} (set by tests/pom.xml), else found from the cwd. */
  public static Path root() {
    return ROOT;
  }

  /**
   * {@code ../shared} beside the checkout (upstream dkms 3.4.3 and its suite runner); the only
   * directory outside the checkout that tests may read. Fails when it is missing.
   */
  public static Path shared() {
    Path p = ROOT.resolve("../shared").normalize();
    if (!Files.isDirectory(p.resolve("compat"))) {
      throw new IllegalStateException("no ../shared/compat beside the checkout at " + p);
    }
    return p;
  }

  /** tests/sandbox/sandbox. */
  public static Path sandboxScript() {
    return ROOT.resolve("tests/sandbox/sandbox");
  }

  /** A fixture directory under tests/fixtures, e.g. {@code jdkms_hello-1.0}. */
  public static Path fixture(String name) {
    Path p = ROOT.resolve("tests/fixtures").resolve(name);
    if (!Files.isDirectory(p)) {
      throw new IllegalArgumentException("no fixture " + p);
    }
    return p;
  }

  private static Path locate() {
    String prop = System.getProperty("jdkms.repo");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("tests/sandbox/sandbox"))
          && Files.isRegularFile(p.resolve("run"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the jdkms checkout: set -Djdkms.repo=DIR");
  }
}
