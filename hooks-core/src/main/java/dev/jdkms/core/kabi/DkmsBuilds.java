package dev.jdkms.core.kabi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The module files DKMS built, as they lie in its tree: {@code M/V/K/A/module/*.ko*}, next to the
 * {@code Module.symvers} the build wrote. Read-only.
 */
public final class DkmsBuilds {
  /** One built {@code M/V/K/A}: its module files and the build's Module.symvers, if kept. */
  public record Build(
      String module,
      String version,
      String kernel,
      String arch,
      List<Path> modules,
      Optional<Path> symvers) {}

  private DkmsBuilds() {}

  /** Every build of {@code module/version}, by kernel (sorted), for any arch. */
  public static Map<String, List<Build>> of(Path dkmsTree, String module, String version)
      throws IOException {
    Map<String, List<Build>> out = new TreeMap<>();
    Path vdir = dkmsTree.resolve(module).resolve(version);
    for (Path k : list(vdir)) {
      String kernel = k.getFileName().toString();
      if (!Character.isDigit(kernel.charAt(0))) {
        continue;
      }
      for (Path a : list(k)) {
        Path mdir = a.resolve("module");
        List<Path> modules = new ArrayList<>();
        for (Path f : list(mdir)) {
          if (f.getFileName().toString().matches(".*\\.ko(\\.gz|\\.xz|\\.zst)?")) {
            modules.add(f);
          }
        }
        if (modules.isEmpty()) {
          continue;
        }
        Path sv = mdir.resolve("Module.symvers");
        out.computeIfAbsent(kernel, x -> new ArrayList<>())
            .add(
                new Build(
                    module,
                    version,
                    kernel,
                    a.getFileName().toString(),
                    modules,
                    Files.isRegularFile(sv) ? Optional.of(sv) : Optional.empty()));
      }
    }
    return out;
  }

  /**
   * Module files DKMS built for {@code kernel} (any module, version, arch): each was compiled
   * against that kernel's headers, so it tells the kernel's vermagic and {@code struct module} size
   * when the kernel itself has no modules installed yet.
   */
  public static List<Path> builtFor(Path dkmsTree, String kernel) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path m : list(dkmsTree)) {
      for (Path v : list(m)) {
        for (Path a : list(v.resolve(kernel))) {
          for (Path f : list(a.resolve("module"))) {
            if (f.getFileName().toString().matches(".*\\.ko(\\.gz|\\.xz|\\.zst)?")) {
              out.add(f);
            }
          }
        }
      }
    }
    return out;
  }

  /** Non-hidden entries of {@code dir} in name order, as a bash glob sees them. */
  static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
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
}
