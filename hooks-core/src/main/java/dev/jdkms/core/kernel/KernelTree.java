package dev.jdkms.core.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One kernel release under the install tree ({@code /lib/modules/K}): headers, config, modules. */
public final class KernelTree {
  private final Path installTree;
  private final String release;

  public KernelTree(Path installTree, String release) {
    this.installTree = installTree;
    this.release = release;
  }

  public String release() {
    return release;
  }

  /** {@code /lib/modules/K}. */
  public Path dir() {
    return installTree.resolve(release);
  }

  /** {@code /lib/modules/K/build}, where the headers are. */
  public Path buildDir() {
    return dir().resolve("build");
  }

  /** The config upstream reads: {@code include/config/auto.conf} when present, else .config. */
  public static Path configOf(Path kernelSourceDir) {
    Path auto = kernelSourceDir.resolve("include/config/auto.conf");
    return Files.exists(auto) ? auto : kernelSourceDir.resolve(".config");
  }

  /** True when {@code modules.dep} exists: only then does dkms run depmod. */
  public boolean hasModulesDep() {
    return Files.isRegularFile(dir().resolve("modules.dep"));
  }

  /**
   * The compression suffix of modules already in this kernel's tree: {@code .gz}, {@code .xz} or
   * {@code .zst} (the last kind found wins, as upstream), or empty.
   */
  public String compressionSuffix() {
    if (!Files.isDirectory(dir())) {
      return "";
    }
    boolean gz = false;
    boolean xz = false;
    boolean zst = false;
    try (Stream<Path> s = Files.walk(dir())) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        gz |= n.endsWith(".ko.gz");
        xz |= n.endsWith(".ko.xz");
        zst |= n.endsWith(".ko.zst");
      }
    } catch (IOException | UncheckedIOException e) {
      // An unreadable corner of the tree only hides compressed modules, as find(1) would.
    }
    return zst ? ".zst" : xz ? ".xz" : gz ? ".gz" : "";
  }

  /**
   * Regular files under the tree named {@code name.ko} or {@code name.ko<suffix>}; like upstream's
   * {@code find -type f}, a symlink (e.g. one installed with --symlink-modules) is not one.
   */
  public List<Path> findModule(String name, String suffix) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir())) {
      return found;
    }
    String plain = name + ".ko";
    String compressed = plain + suffix;
    try (Stream<Path> s = Files.walk(dir())) {
      s.filter(
              p -> {
                String n = p.getFileName().toString();
                return (n.equals(plain) || n.equals(compressed))
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
              })
          .forEach(found::add);
    } catch (IOException | UncheckedIOException e) {
      // as find(1): unreadable parts are skipped
    }
    return found;
  }

  /** Kernels with headers ({@code K/build/include} exists), version-sorted. */
  public static List<String> withHeaders(Path installTree) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(installTree)) {
      return out;
    }
    try (Stream<Path> s = Files.list(installTree)) {
      s.filter(p -> Files.isDirectory(p.resolve("build/include")))
          .map(p -> p.getFileName().toString())
          .sorted(VersionOrder.COMPARATOR)
          .forEach(out::add);
    }
    return out;
  }
}
