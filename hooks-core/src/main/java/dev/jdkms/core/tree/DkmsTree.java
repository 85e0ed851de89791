package dev.jdkms.core.tree;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The on-disk DKMS state ({@code /var/lib/dkms}), laid out exactly as upstream's so that either
 * implementation can take over a machine. There is no database: every state is derived from the
 * filesystem on each call.
 */
public final class DkmsTree {
  /** upstream lists a kernel directory only when it matches {@code +([0-9]).*}. */
  private static final Pattern KERNEL_DIR = Pattern.compile("[0-9]+\\..*");

  private final Path root;
  private final Path sourceTree;

  public DkmsTree(Path root, Path sourceTree) {
    this.root = root;
    this.sourceTree = sourceTree;
  }

  public Path root() {
    return root;
  }

  public Path sourceTree() {
    return sourceTree;
  }

  public Path moduleDir(String module) {
    return root.resolve(module);
  }

  public Path versionDir(String module, String version) {
    return root.resolve(module).resolve(version);
  }

  /**
   * The dkms.conf of M/V: through its source link, else in {@code source_tree/M-V} (a version about
   * to be added). May not exist.
   */
  public Path sourceConf(String module, String version) {
    Path linked = sourceLink(module, version).resolve("dkms.conf");
    return Files.isRegularFile(linked) ? linked : sourceDir(module, version).resolve("dkms.conf");
  }

  /**
   * jdkms's copy of the dkms.conf the last successful build used ({@code M/V/.dkms.conf}; hidden
   * like {@code .logs}, so upstream's globs never see it): a version whose source has gone (its
   * package erased first) can still be uninstalled with it.
   */
  public Path confCopy(String module, String version) {
    return versionDir(module, version).resolve(".dkms.conf");
  }

  public Path sourceLink(String module, String version) {
    return versionDir(module, version).resolve("source");
  }

  public Path buildDir(String module, String version) {
    return versionDir(module, version).resolve("build");
  }

  /** {@code M/V/K/A}: the built state of one kernel. */
  public Path builtDir(String module, String version, String kernel, String arch) {
    return versionDir(module, version).resolve(kernel).resolve(arch);
  }

  /** {@code M/kernel-K-A}: the symlink that marks the installed version. */
  public Path activeLink(String module, String kernel, String arch) {
    return moduleDir(module).resolve("kernel-" + kernel + "-" + arch);
  }

  public Path originalModuleDir(String module, String kernel, String arch) {
    return moduleDir(module).resolve("original_module").resolve(kernel).resolve(arch);
  }

  /** {@code /usr/src/M-V}. */
  public Path sourceDir(String module, String version) {
    return sourceTree.resolve(module + "-" + version);
  }

  /** Added: the version dir exists and {@code source} is a symlink to a directory. */
  public boolean isAdded(String module, String version) {
    if (module.isEmpty() || version.isEmpty()) {
      return false;
    }
    Path link = sourceLink(module, version);
    return Files.isDirectory(versionDir(module, version))
        && Files.isSymbolicLink(link)
        && Files.isDirectory(link);
  }

  /** Broken: {@code source} dangles, or is missing while {@code /usr/src/M-V} exists. */
  public boolean isBroken(String module, String version) {
    if (module.isEmpty() || version.isEmpty() || !Files.isDirectory(versionDir(module, version))) {
      return false;
    }
    Path link = sourceLink(module, version);
    if (Files.isSymbolicLink(link) && !Files.isDirectory(link)) {
      return true;
    }
    return !Files.isSymbolicLink(link) && Files.isDirectory(sourceDir(module, version));
  }

  public boolean isBuilt(String module, String version, String kernel, String arch) {
    if (module.isEmpty() || version.isEmpty() || kernel.isEmpty() || arch.isEmpty()) {
      return false;
    }
    return Files.isDirectory(builtDir(module, version, kernel, arch).resolve("module"));
  }

  /** Built, and {@code kernel-K-A} resolves to this version's built dir. */
  public boolean isInstalled(String module, String version, String kernel, String arch) {
    return isBuilt(module, version, kernel, arch) && isActive(module, version, kernel, arch);
  }

  /** {@code kernel-K-A} resolves to {@code M/V/K/A} (without checking that it is built). */
  public boolean isActive(String module, String version, String kernel, String arch) {
    Path link = activeLink(module, kernel, arch);
    if (!Files.isSymbolicLink(link)) {
      return false;
    }
    try {
      return link.toRealPath().equals(builtDir(module, version, kernel, arch).toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Every {@code M/V} under the tree, in bash glob order (C locale: byte order of the whole path),
   * skipping {@code kernel-*-*} links.
   */
  public List<String[]> moduleVersions(String module, String version) throws IOException {
    List<String> found = new ArrayList<>();
    for (Path m : list(root)) {
      String mn = m.getFileName().toString();
      if (!module.isEmpty() && !Glob.matches(module, mn)) {
        continue;
      }
      for (Path v : list(m)) {
        String vn = v.getFileName().toString();
        if (!version.isEmpty() && !Glob.matches(version, vn)) {
          continue;
        }
        if (!Files.isDirectory(v) || vn.matches("kernel-.*-.*")) {
          continue;
        }
        found.add(mn + "/" + vn);
      }
    }
    found.sort(String::compareTo);
    List<String[]> out = new ArrayList<>();
    for (String s : found) {
      int slash = s.indexOf('/');
      out.add(new String[] {s.substring(0, slash), s.substring(slash + 1)});
    }
    return out;
  }

  /**
   * The {@code K/A} pairs built for {@code M/V} (optionally one kernel or arch), glob-ordered,
   * kernel dirs only when they look like versions.
   */
  public List<String[]> builtKernels(String module, String version, String kernel, String arch)
      throws IOException {
    List<String> found = new ArrayList<>();
    Path vd = versionDir(module, version);
    for (Path k : list(vd)) {
      String kn = k.getFileName().toString();
      if (kernel.isEmpty() ? !KERNEL_DIR.matcher(kn).matches() : !kn.equals(kernel)) {
        continue;
      }
      for (Path a : list(k)) {
        String an = a.getFileName().toString();
        if (!arch.isEmpty() && !an.equals(arch)) {
          continue;
        }
        if (isBuilt(module, version, kn, an)) {
          found.add(kn + "/" + an);
        }
      }
    }
    found.sort(String::compareTo);
    List<String[]> out = new ArrayList<>();
    for (String s : found) {
      int slash = s.indexOf('/');
      out.add(new String[] {s.substring(0, slash), s.substring(slash + 1)});
    }
    return out;
  }

  /** Directory entries not starting with a dot, as a bash glob sees them. */
  static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!p.getFileName().toString().startsWith(".")) {
          out.add(p);
        }
      }
    }
    return out;
  }
}
