package dev.jdkms.core.tarball;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layout of a DKMS tarball, as upstream's {@code mktarball} writes it and {@code ldtarball}
 * reads it:
 *
 * <pre>
 * ./dkms_main_tree/K/A/module/*.ko[.ext]   (and Module.symvers)   one K/A per archived kernel
 * ./dkms_main_tree/K/A/log/make.log
 * ./dkms_source_tree/...                    the module's source (not with --binaries-only)
 * ./dkms_binaries_only/{PACKAGE_NAME,PACKAGE_VERSION,dkms.conf}   (only with --binaries-only)
 * </pre>
 *
 * A tarball without {@code dkms_main_tree} is a plain source tarball: the first {@code dkms.conf}
 * in it marks the source tree.
 */
public final class DkmsTarball {
  public static final String MAIN_TREE = "dkms_main_tree";
  public static final String SOURCE_TREE = "dkms_source_tree";
  public static final String BINARIES_ONLY = "dkms_binaries_only";
  public static final String CONF = "dkms.conf";

  /** Directory names of {@code M/V} that are not kernels; a tarball may not load into them. */
  private static final List<String> RESERVED = List.of("source", "build", "tarball");

  private final Path root;

  /** The tarball extracted at {@code root}. */
  public DkmsTarball(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** Made by mktarball: it has a real {@code dkms_main_tree} directory. */
  public boolean hasMainTree() {
    return isRealDirectory(root.resolve(MAIN_TREE));
  }

  public Path sourceTree() {
    return root.resolve(SOURCE_TREE);
  }

  public Path binariesOnly() {
    return root.resolve(BINARIES_ONLY);
  }

  /** A built kernel in the tarball: {@code dkms_main_tree/K/A}. */
  public record Built(String kernel, String arch, Path dir) {
    /** Whether it would load into a directory of {@code M/V} that is not a kernel's. */
    public boolean isReserved() {
      return RESERVED.contains(kernel);
    }
  }

  /**
   * The {@code K/A} directories, as upstream's glob {@code dkms_main_tree/*}{@code /*} sees them.
   */
  public List<Built> built() throws IOException {
    List<Built> out = new ArrayList<>();
    for (Path k : entries(root.resolve(MAIN_TREE))) {
      if (!isRealDirectory(k)) {
        continue;
      }
      for (Path a : entries(k)) {
        if (isRealDirectory(a)) {
          out.add(new Built(k.getFileName().toString(), a.getFileName().toString(), a));
        }
      }
    }
    return out;
  }

  /**
   * Symbolic links where {@link #built} expects kernel or arch directories (upstream's glob would
   * follow them), relative to the top.
   */
  public List<String> linkedKernelDirs() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path k : entries(root.resolve(MAIN_TREE))) {
      if (Files.isSymbolicLink(k)) {
        out.add(root.relativize(k).toString());
      } else if (isRealDirectory(k)) {
        for (Path a : entries(k)) {
          if (Files.isSymbolicLink(a)) {
            out.add(root.relativize(a).toString());
          }
        }
      }
    }
    return out;
  }

  /**
   * The first {@code dkms.conf} as {@code find DIR -name dkms.conf | head -n 1} finds it (a
   * depth-first walk, names in order, links not followed).
   */
  public Optional<Path> firstConf() throws IOException {
    return firstConf(root);
  }

  private static Optional<Path> firstConf(Path dir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(children::add);
    }
    children.sort(null);
    for (Path c : children) {
      if (c.getFileName().toString().equals(CONF)) {
        return Optional.of(c);
      }
      if (isRealDirectory(c)) {
        Optional<Path> found = firstConf(c);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /** Non-hidden entries in name order (a bash glob). */
  private static List<Path> entries(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!isRealDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!p.getFileName().toString().startsWith(".")) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  static boolean isRealDirectory(Path p) {
    return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
  }

  /** upstream's default archive name: {@code M-V-<kernel list>.dkms.tar.gz}. */
  public static String defaultName(String module, String version, String kernelList) {
    return module + "-" + version + "-" + kernelList + ".dkms.tar.gz";
  }
}
