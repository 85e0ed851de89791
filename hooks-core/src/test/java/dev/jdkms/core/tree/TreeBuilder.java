package dev.jdkms.core.tree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Lays out a DKMS tree by hand, with the symlinks exactly as upstream creates them. */
final class TreeBuilder {
  final Path dkmsTree;
  final Path sourceTree;

  TreeBuilder(Path root) {
    this.dkmsTree = root.resolve("var/lib/dkms");
    this.sourceTree = root.resolve("usr/src");
    try {
      Files.createDirectories(dkmsTree);
      Files.createDirectories(sourceTree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  DkmsTree tree() {
    return new DkmsTree(dkmsTree, sourceTree);
  }

  /** {@code /usr/src/M-V} with a dkms.conf. */
  TreeBuilder source(String m, String v) {
    try {
      Path src = sourceTree.resolve(m + "-" + v);
      Files.createDirectories(src);
      Files.writeString(src.resolve("dkms.conf"), "PACKAGE_NAME=" + m + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** dkms add: {@code M/V/build/} and {@code M/V/source -> /usr/src/M-V} (absolute). */
  TreeBuilder added(String m, String v) {
    source(m, v);
    return link(m, v);
  }

  /** Only the tree side of add, whether or not the source exists. */
  TreeBuilder link(String m, String v) {
    try {
      Path vd = dkmsTree.resolve(m).resolve(v);
      Files.createDirectories(vd.resolve("build"));
      Files.createSymbolicLink(vd.resolve("source"), sourceTree.resolve(m + "-" + v));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A built kernel: {@code M/V/K/A/module/m.ko} and the log. */
  TreeBuilder built(String m, String v, String k, String a) {
    try {
      Path ka = dkmsTree.resolve(m).resolve(v).resolve(k).resolve(a);
      Files.createDirectories(ka.resolve("module"));
      Files.createDirectories(ka.resolve("log"));
      Files.writeString(ka.resolve("module").resolve(m + ".ko"), "ko");
      Files.writeString(ka.resolve("log/make.log"), "log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** dkms install's marker: {@code M/kernel-K-A -> V/K/A} (relative). */
  TreeBuilder installed(String m, String v, String k, String a) {
    try {
      Files.createSymbolicLink(
          dkmsTree.resolve(m).resolve("kernel-" + k + "-" + a), Path.of(v, k, a));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  Path path(String rel) {
    return dkmsTree.resolve(rel);
  }
}
