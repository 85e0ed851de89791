package dev.jdkms.core.kabi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The links jdkms manages below a kernel's {@code weak-updates}: which links are ours (they point
 * at a DKMS module installed for another kernel), whose installation one points at, and making or
 * removing them atomically.
 */
final class WeakLinks {
  private final Path installTree;
  private final Path dkmsTree;

  WeakLinks(Path installTree, Path dkmsTree) {
    this.installTree = installTree;
    this.dkmsTree = dkmsTree;
  }

  /** Makes the links of a plan; returns whether anything changed (then depmod is due). */
  static boolean apply(WeakUpdates.Plan plan) throws IOException {
    boolean changed = false;
    for (Path p : plan.remove()) {
      changed |= Files.deleteIfExists(p);
      removeEmptyParents(p.getParent());
    }
    for (WeakUpdates.Link l : plan.add()) {
      if (isLinkTo(l.link(), l.target())) {
        continue;
      }
      Files.createDirectories(l.link().getParent());
      Path tmp = l.link().resolveSibling(".jdkms-" + l.link().getFileName());
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, l.target());
      Files.move(tmp, l.link(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      changed = true;
    }
    return changed;
  }

  /** Symlinks below weak-updates that point at /lib/modules/<other kernel>/... (ours to manage). */
  List<Path> managedLinks(Path weakDir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(weakDir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(weakDir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!Files.isSymbolicLink(p)) {
          continue;
        }
        Path target = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        if (target.startsWith(installTree) && isDkmsModuleName(p.getFileName().toString())) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  private boolean isDkmsModuleName(String file) throws IOException {
    for (Path m : DkmsBuilds.list(dkmsTree)) {
      for (Path v : DkmsBuilds.list(m)) {
        for (Path k : DkmsBuilds.list(v)) {
          for (Path a : DkmsBuilds.list(k)) {
            if (Files.exists(a.resolve("module").resolve(file))) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  /** module, version, kernel, arch of the DKMS installation a weak link points at. */
  Optional<String[]> owner(Path link) throws IOException {
    Path target = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
    if (!target.startsWith(installTree) || !Files.isRegularFile(target)) {
      return Optional.empty();
    }
    String a = installTree.relativize(target).getName(0).toString();
    String file = target.getFileName().toString();
    for (Path m : DkmsBuilds.list(dkmsTree)) {
      for (Path l : DkmsBuilds.list(m)) {
        String n = l.getFileName().toString();
        if (!n.startsWith("kernel-" + a + "-") || !Files.isSymbolicLink(l)) {
          continue;
        }
        Path built;
        try {
          built = l.toRealPath();
        } catch (IOException e) {
          continue;
        }
        Path f = built.resolve("module").resolve(file);
        if (Files.isRegularFile(f) && Files.mismatch(f, target) == -1) {
          return Optional.of(
              new String[] {
                m.getFileName().toString(),
                built.getParent().getParent().getFileName().toString(),
                a,
                n.substring(("kernel-" + a + "-").length())
              });
        }
      }
    }
    return Optional.empty();
  }

  static boolean isLinkTo(Path link, Path target) {
    try {
      return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target);
    } catch (IOException e) {
      return false;
    }
  }

  private static void removeEmptyParents(Path dir) throws IOException {
    Path d = dir;
    while (d != null && !d.getFileName().toString().equals("weak-updates")) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
        if (s.iterator().hasNext()) {
          return;
        }
      }
      Files.delete(d);
      d = d.getParent();
    }
  }
}
