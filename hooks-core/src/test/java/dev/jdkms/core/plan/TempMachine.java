package dev.jdkms.core.plan;

import dev.jdkms.core.tree.DkmsTree;
import dev.jdkms.core.tree.PrebuiltManifest;
import dev.jdkms.core.tree.PrebuiltModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A DKMS tree, source tree and install tree in a temporary directory, laid out as upstream's. */
final class TempMachine {
  static final String ARCH = "x86_64";
  final Path root;
  final DkmsTree tree;
  final Path installTree;
  final Path etc;
  final Map<String, Recipe> recipes = new HashMap<>();
  boolean linksWeakUpdates;
  boolean canCompile = true;
  final List<String> warnings = new java.util.ArrayList<>();

  TempMachine(Path root) throws IOException {
    this.root = root;
    this.tree = new DkmsTree(root.resolve("var/lib/dkms"), root.resolve("usr/src"));
    this.installTree = root.resolve("lib/modules");
    this.etc = root.resolve("etc/dkms");
    Files.createDirectories(tree.root());
    Files.createDirectories(tree.sourceTree());
    Files.createDirectories(installTree);
    Files.createDirectories(etc);
  }

  TempMachine kernel(String k, boolean headers) throws IOException {
    Files.createDirectories(installTree.resolve(k).resolve("kernel"));
    if (headers) {
      Files.createDirectories(installTree.resolve(k).resolve("build/include"));
    }
    return this;
  }

  TempMachine source(String m, String v) throws IOException {
    Path src = tree.sourceDir(m, v);
    Files.createDirectories(src);
    Files.writeString(src.resolve("dkms.conf"), "PACKAGE_NAME=" + m + "\n");
    return this;
  }

  /** Source plus {@code dkms add}; AUTOINSTALL with the given BUILD_DEPENDS by default. */
  TempMachine added(String m, String v, String... depends) throws IOException {
    source(m, v);
    Files.createDirectories(tree.buildDir(m, v));
    Files.createSymbolicLink(tree.sourceLink(m, v), tree.sourceDir(m, v));
    recipe(m, v, new Recipe(true, false, List.of(depends)));
    return this;
  }

  TempMachine recipe(String m, String v, Recipe r) {
    recipes.put(m + "/" + v, r);
    return this;
  }

  TempMachine built(String m, String v, String k) throws IOException {
    Files.createDirectories(tree.builtDir(m, v, k, ARCH).resolve("module"));
    return this;
  }

  TempMachine installed(String m, String v, String k) throws IOException {
    built(m, v, k);
    Path link = tree.activeLink(m, k, ARCH);
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of(v, k, ARCH));
    return this;
  }

  TempMachine broken(String m, String v) throws IOException {
    Files.createDirectories(tree.versionDir(m, v));
    Files.createSymbolicLink(tree.sourceLink(m, v), root.resolve("nowhere"));
    return this;
  }

  /** The manifest of a prebuilt package providing {@code m/v} for {@code k} as {@code pkg}. */
  TempMachine prebuilt(String m, String v, String k, String pkg) throws IOException {
    Path f = root.resolve("usr/lib/jdkms/prebuilt").resolve(k).resolve(m);
    Files.createDirectories(f.getParent());
    String sha = "0".repeat(64);
    Files.writeString(
        f,
        new PrebuiltManifest(
                m, v, k, pkg, List.of(new PrebuiltManifest.File("updates/dkms/" + m + ".ko", sha)))
            .text());
    return this;
  }

  TreeInventory inventory() {
    return new TreeInventory(
        tree,
        installTree,
        etc,
        ARCH,
        (m, v, k, a) -> {
          Recipe r = recipes.get(m + "/" + v);
          return r == null ? new Recipe(false, false, List.of()) : r;
        },
        linksWeakUpdates,
        PrebuiltModules.read(root.resolve("usr/lib/jdkms/prebuilt"), warnings::add),
        canCompile);
  }

  Plan plan(Event... events) throws Exception {
    return new Planner(inventory()).plan(List.of(events));
  }
}
