package dev.jdkms.core.plan;

import dev.jdkms.core.kernel.VersionOrder;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.tree.DkmsTree;
import dev.jdkms.core.tree.ModuleStatus;
import dev.jdkms.core.tree.PrebuiltModules;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@link Inventory} of a real machine: a DKMS tree, a source tree and an install tree. */
public final class TreeInventory implements Inventory {
  /** Reads one recipe (the drop-in evaluates dkms.conf through bash, as upstream). */
  @FunctionalInterface
  public interface Recipes {
    Recipe read(String module, String version, String kernel, String arch) throws DkmsException;
  }

  private final DkmsTree tree;
  private final Path installTree;
  private final Path etcDkms;
  private final String arch;
  private final Recipes recipes;
  private final boolean weakUpdates;
  private final PrebuiltModules prebuilt;
  private final boolean canCompile;

  /**
   * @param etcDkms where {@code no-autoinstall} is looked for ({@code /etc/dkms})
   * @param arch the architecture of every kernel ({@code uname -m}, as upstream assumes)
   */
  public TreeInventory(
      DkmsTree tree, Path installTree, Path etcDkms, String arch, Recipes recipes) {
    this(tree, installTree, etcDkms, arch, recipes, false);
  }

  /**
   * @param weakUpdates the system links modules into other kernels' weak-updates
   */
  public TreeInventory(
      DkmsTree tree,
      Path installTree,
      Path etcDkms,
      String arch,
      Recipes recipes,
      boolean weakUpdates) {
    this(tree, installTree, etcDkms, arch, recipes, weakUpdates, PrebuiltModules.NONE, true);
  }

  /**
   * @param prebuilt the prebuilt module packages installed ({@link PrebuiltModules#NONE} for a
   *     staging host)
   * @param canCompile make and a compiler are on PATH
   */
  public TreeInventory(
      DkmsTree tree,
      Path installTree,
      Path etcDkms,
      String arch,
      Recipes recipes,
      boolean weakUpdates,
      PrebuiltModules prebuilt,
      boolean canCompile) {
    this.tree = tree;
    this.installTree = installTree;
    this.etcDkms = etcDkms;
    this.arch = arch;
    this.recipes = recipes;
    this.weakUpdates = weakUpdates;
    this.prebuilt = prebuilt;
    this.canCompile = canCompile;
  }

  @Override
  public PrebuiltModules prebuilt() {
    return prebuilt;
  }

  @Override
  public boolean canCompile() {
    return canCompile;
  }

  @Override
  public boolean linksWeakUpdates() {
    return weakUpdates;
  }

  @Override
  public List<Registered> registered() throws IOException {
    Set<String> seen = new LinkedHashSet<>();
    List<Registered> out = new ArrayList<>();
    for (ModuleStatus.Entry e : ModuleStatus.entries(tree, "", "", "", "")) {
      if (seen.add(e.module() + "/" + e.version())) {
        out.add(new Registered(e.module(), e.version(), e.state().equals("broken")));
      }
    }
    return out;
  }

  @Override
  public boolean isBuilt(String module, String version, String kernel, String arch) {
    return tree.isBuilt(module, version, kernel, arch);
  }

  @Override
  public boolean isActive(String module, String version, String kernel, String arch) {
    return tree.isActive(module, version, kernel, arch);
  }

  @Override
  public List<String[]> builtFor(String module, String version) throws IOException {
    return tree.builtKernels(module, version, "", "");
  }

  @Override
  public Recipe recipe(String module, String version, String kernel, String arch)
      throws DkmsException {
    return recipes.read(module, version, kernel, arch);
  }

  @Override
  public List<String> kernels() throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(installTree)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(installTree)) {
      for (Path p : s) {
        if (Files.isDirectory(p)) {
          out.add(p.getFileName().toString());
        }
      }
    }
    out.sort(VersionOrder.COMPARATOR);
    return out;
  }

  @Override
  public boolean hasHeaders(String kernel) {
    return Files.exists(installTree.resolve(kernel).resolve("build/include"));
  }

  @Override
  public String arch(String kernel) {
    return arch;
  }

  @Override
  public boolean autoinstallDisabled() {
    return Files.isRegularFile(etcDkms.resolve("no-autoinstall"));
  }

  @Override
  public boolean hasSource(String module, String version) {
    return Files.isRegularFile(tree.sourceDir(module, version).resolve("dkms.conf"));
  }
}
