package dev.jdkms.tests.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sandboxes of one test class that share a costly set-up: a template prepared once (a package
 * installed with apt, dnf or pacman) and forks of it, one per test, all with their state under one
 * temporary directory. Closing it deletes that directory, unless {@code JDKMS_IT_KEEP} is set (the
 * path is printed to inspect what the tests left).
 */
public final class SandboxFamily implements AutoCloseable {
  private final Path base;
  private int forks;

  private SandboxFamily(Path base) {
    this.base = base;
  }

  /** A new family, its state in a fresh temporary directory named after {@code testClass}. */
  public static SandboxFamily create(String testClass) throws IOException {
    return new SandboxFamily(Files.createTempDirectory("jdkms-it-" + testClass));
  }

  /** The family's directory (deleted at close): room for files of the test's own. */
  public Path dir() {
    return base;
  }

  /** A sandbox of its own (not a fork), its state in {@code name}. */
  public Sandbox sandbox(String name) {
    return new Sandbox(base.resolve(name));
  }

  /** A copy-on-write fork of {@code from}; the name gets a number, so it can repeat. */
  public Sandbox fork(Sandbox from, String name) {
    return from.fork(base.resolve(name + "-" + (++forks)));
  }

  @Override
  public void close() {
    if (System.getenv("JDKMS_IT_KEEP") != null) {
      System.out.println("[sandbox] JDKMS_IT_KEEP: state kept in " + base);
    } else {
      Sandbox.delete(base);
    }
  }
}
