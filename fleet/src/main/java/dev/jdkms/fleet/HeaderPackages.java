package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel headers from their Debian packages, unpacked privately ({@code dpkg-deb -x}) for kernels
 * whose headers this machine has not installed: {@code linux-headers-K}, its {@code -common} and
 * {@code linux-kbuild-X}, as {@code apt-get download} gives them. Their relative links (scripts,
 * tools) resolve inside the private root; the one absolute path, the {@code include} of the -common
 * Makefile, is pointed into it too.
 */
final class HeaderPackages {
  // include /usr/src/linux-headers-6.1.0-57-common/Makefile
  private static final Pattern INCLUDE = Pattern.compile("(?m)^include\\s+(/usr/src/\\S+)$");

  private HeaderPackages() {}

  /** Unpacks {@code debs} into {@code root}; returns each kernel found with its build directory. */
  static Map<String, Path> unpack(List<Path> debs, Path root) throws FleetException, IOException {
    Files.createDirectories(root);
    for (Path deb : debs) {
      if (!Files.isRegularFile(deb)) {
        throw new FleetException(ExitCode.USAGE, "no such header package: " + deb);
      }
      Process p =
          new ProcessBuilder("dpkg-deb", "-x", deb.toString(), root.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (waitFor(p) != 0) {
        throw new FleetException(
            ExitCode.FAILURE,
            "dpkg-deb -x " + deb + " failed: " + out.lines().findFirst().orElse(""));
      }
    }
    Map<String, Path> kernels = new TreeMap<>();
    Path modules = root.resolve("lib/modules");
    if (Files.isDirectory(modules)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(modules)) {
        for (Path k : ds) {
          Path dir = buildDir(root, k.resolve("build"));
          if (dir != null && Files.isDirectory(dir.resolve("include"))) {
            pointIncludesInto(root, dir.resolve("Makefile"));
            kernels.put(k.getFileName().toString(), dir);
          }
        }
      }
    }
    return kernels;
  }

  /** The package's {@code /lib/modules/K/build} link (absolute) read inside the private root. */
  private static Path buildDir(Path root, Path link) throws IOException {
    if (!Files.isSymbolicLink(link)) {
      return null;
    }
    Path target = Files.readSymbolicLink(link);
    Path inRoot =
        target.isAbsolute()
            ? root.resolve(target.toString().substring(1))
            : link.getParent().resolve(target);
    return inRoot.normalize();
  }

  private static void pointIncludesInto(Path root, Path makefile) throws IOException {
    if (!Files.isRegularFile(makefile)) {
      return;
    }
    String text = Files.readString(makefile, StandardCharsets.UTF_8);
    Matcher m = INCLUDE.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      Path inRoot = root.resolve(m.group(1).substring(1));
      String replacement = Files.exists(inRoot) ? "include " + inRoot : m.group();
      m.appendReplacement(b, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(b);
    String fixed = b.toString();
    if (!fixed.equals(text)) {
      Files.writeString(makefile, fixed, StandardCharsets.UTF_8);
    }
  }

  private static int waitFor(Process p) throws IOException {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
