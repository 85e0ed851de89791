package dev.jdkms.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian root filesystem made from Debian's archive by {@code tests/roots/debian-root}
 * (mmdebstrap), cached in the checkout and used through {@link Sandbox#withRoot}. With {@code
 * kernels}, it has the image and headers of the release's second newest kernel (K1) installed and
 * those of the newest (K2) downloaded, ready for {@code apt-get install}.
 */
public record DebianRoot(Path path, String release) {
  /** Where the kernel .debs of K2 and its missing dependencies are inside the root. */
  public static final String KERNEL_DEBS = "/var/cache/jdkms-test/debs/kernel";

  /** Where {@code fetch}ed package files are inside the root. */
  public static final String DEBS = "/var/cache/jdkms-test/debs";

  /** What a root is made of: the release, packages installed and .debs downloaded. */
  public record Spec(
      String name, String release, boolean kernels, List<String> include, List<String> fetch) {
    public Spec {
      include = List.copyOf(include);
      fetch = List.copyOf(fetch);
    }
  }

  /** The root for {@code spec}, made first if the cache has none (minutes; fails the test). */
  public static DebianRoot of(Spec spec) {
    List<String> argv = new ArrayList<>();
    argv.add(Repo.root().resolve("tests/roots/debian-root").toString());
    argv.addAll(List.of("--release", spec.release(), "--name", spec.name()));
    if (spec.kernels()) {
      argv.add("--kernels");
    }
    if (!spec.include().isEmpty()) {
      argv.addAll(List.of("--include", String.join(",", spec.include())));
    }
    if (!spec.fetch().isEmpty()) {
      argv.addAll(List.of("--fetch", String.join(",", spec.fetch())));
    }
    try {
      Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(40, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("debian-root did not finish within 40 minutes: " + argv);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("debian-root failed (exit " + p.exitValue() + "): " + argv);
      }
      return new DebianRoot(Path.of(out), spec.release());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** K1 then K2 (for a root made with kernels): kernel releases such as 6.1.0-57-amd64. */
  public List<String> kernels() {
    try {
      return Files.readAllLines(path.resolve("var/cache/jdkms-test/kernels")).stream()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("the root " + path + " was made without --kernels", e);
    }
  }
}
