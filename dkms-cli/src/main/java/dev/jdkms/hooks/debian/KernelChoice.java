package dev.jdkms.hooks.debian;

import dev.jdkms.core.kernel.VersionSort;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which kernels a {@code *-dkms} package's module is built for when the package is configured (dkms
 * 3.4's common.postinst): every kernel with a build directory when autoinstall_all_kernels is set;
 * else, when the running kernel is installed here, the running kernel and the newest one; else (a
 * chroot, a build daemon) every kernel with a build directory, or only the newest on an upgrade.
 */
final class KernelChoice {
  /** The kernels, and whether the running kernel is missing here (said to the user). */
  record Chosen(List<String> kernels, boolean runningMissing) {}

  private final Path installTree;
  private final Path boot;

  KernelChoice(Path installTree, Path boot) {
    this.installTree = installTree;
    this.boot = boot;
  }

  Chosen choose(String running, boolean allKernels, boolean upgrade) throws IOException {
    List<String> all = withBuildDirectory();
    if (allKernels) {
      return new Chosen(all, false);
    }
    Optional<String> newest = newestImage().filter(n -> VersionSort.compare(n, running) >= 0);
    if (Files.exists(installTree.resolve(running))) {
      List<String> ks = new ArrayList<>(List.of(running));
      newest.filter(n -> !n.equals(running)).ifPresent(ks::add);
      return new Chosen(ks, false);
    }
    if (newest.isPresent() && upgrade) {
      return new Chosen(List.of(newest.get()), true);
    }
    return new Chosen(all, true);
  }

  /** Kernels with a build directory (headers, possibly a dangling link), oldest first. */
  private List<String> withBuildDirectory() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path dir : list(installTree, "*")) {
      Path build = dir.resolve("build");
      if (Files.exists(build) || Files.isSymbolicLink(build)) {
        out.add(dir.getFileName().toString());
      }
    }
    out.sort(VersionSort.COMPARATOR);
    return out;
  }

  /** The newest kernel with an image's config in /boot and a module directory. */
  private Optional<String> newestImage() throws IOException {
    String newest = null;
    for (Path config : list(boot, "config-*")) {
      String k = config.getFileName().toString().substring("config-".length());
      if (Files.isRegularFile(config)
          && Files.exists(installTree.resolve(k), LinkOption.NOFOLLOW_LINKS)
          && (newest == null || VersionSort.compare(k, newest) > 0)) {
        newest = k;
      }
    }
    return Optional.ofNullable(newest);
  }

  private static List<Path> list(Path dir, String glob) throws IOException {
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
        s.forEach(out::add);
      }
    }
    return out;
  }
}
