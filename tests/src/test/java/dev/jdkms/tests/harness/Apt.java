package dev.jdkms.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Debian's real dpkg and apt inside a {@link Sandbox}: every install writes only into the sandbox's
 * overlay (packages are downloaded from the configured Debian mirror), and the host's package
 * database never changes. For the tests of the jdkms .deb (apt-hook).
 */
public final class Apt {
  private Apt() {}

  /** apt-get with the options every test wants: no prompts, wait for the lock, no recommends. */
  private static final List<String> APT_GET =
      List.of(
          "apt-get",
          "-o",
          "DPkg::Lock::Timeout=600",
          "-o",
          "Dpkg::Use-Pty=0",
          "-q",
          "-y",
          "--no-install-recommends");

  /** The sandbox with the environment of an unattended apt run. */
  public static Sandbox unattended(Sandbox sb) {
    return sb.withEnv("DEBIAN_FRONTEND", "noninteractive");
  }

  /** {@code apt-get install ARGS} inside (packages or paths of .deb files). */
  public static Result install(Sandbox sb, String... args) {
    return aptGet(sb, "install", args);
  }

  /**
   * {@code apt-get install} of the .deb files in directory {@code dir} inside whose names match the
   * shell globs {@code globs} (e.g. {@code v4l2loopback-dkms_*.deb}), in one apt run.
   */
  public static Result installFiles(Sandbox sb, String dir, String... globs) {
    String files =
        Arrays.stream(globs).map(glob -> quote(dir) + "/" + glob).collect(Collectors.joining(" "));
    return run(sb, List.of("install"), files);
  }

  /** {@code apt-get purge ARGS} inside. */
  public static Result purge(Sandbox sb, String... args) {
    return aptGet(sb, "purge", args);
  }

  /** {@code apt-get ACTION ARGS}, then {@code apt-get clean} (keeps sandbox forks small). */
  public static Result aptGet(Sandbox sb, String action, String... args) {
    List<String> words = new ArrayList<>(List.of(action));
    words.addAll(Arrays.asList(args));
    return run(sb, words, "");
  }

  /**
   * {@code apt-get} with {@code words} (quoted) and {@code shellTail} (left to the shell, e.g. a
   * glob), then {@code apt-get clean}, keeping apt's exit status.
   */
  private static Result run(Sandbox sb, List<String> words, String shellTail) {
    List<String> cmd = new ArrayList<>(APT_GET);
    cmd.addAll(words);
    String script =
        cmd.stream().map(Apt::quote).collect(Collectors.joining(" "))
            + (shellTail.isEmpty() ? "" : " " + shellTail)
            + "; rc=$?; apt-get clean; exit $rc";
    return unattended(sb).sh(script);
  }

  /**
   * The jdkms package built by the apt-hook module ({@code apt-hook/target/jdkms_*_all.deb}); fails
   * when it has not been built.
   */
  public static Path jdkmsDeb() {
    Path target = Repo.root().resolve("apt-hook/target");
    List<Path> debs = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(target, "jdkms_*_all.deb")) {
        ds.forEach(debs::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (debs.size() != 1) {
      throw new AssertionError(
          "expected one apt-hook/target/jdkms_*_all.deb, found "
              + debs
              + ": build it with `mvn package -pl apt-hook -am` (the integration profile does)");
    }
    return debs.get(0);
  }

  /** Installs the jdkms .deb with apt (which also removes Debian's dkms if installed). */
  public static Result installJdkms(Sandbox sb) {
    return install(sb, jdkmsDeb().toString());
  }

  /**
   * The headers packages of the release's default kernel series that the mirror offers ({@code
   * linux-headers-6.1.0-NN-amd64} on Debian 12, {@code linux-headers-6.12.NN+deb13-amd64} on Debian
   * 13; by {@code apt-cache}, never hard-coded: tests/lib/kernel-series.sh, shared with ./run),
   * oldest first, without the ones already installed.
   */
  public static List<String> headersNotInstalled(Sandbox sb) {
    Result r =
        sb.sh(
                ". "
                    + quote(Repo.root().resolve("tests/lib/kernel-series.sh").toString())
                    + "; headers_packages | while read -r p; do"
                    + " [ \"$(dpkg-query -W -f='${db:Status-Status}' \"$p\" 2>/dev/null)\" ="
                    + " installed ] || echo \"$p\"; done")
            .requireSuccess();
    return r.stdoutLines();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
