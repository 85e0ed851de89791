package dev.jdkms.core.kabi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kernel's installed modules as the kABI needs them: their names (from modules.dep, or the files
 * themselves before depmod has run) and a reference module to read the kernel's vermagic and ELF
 * kind from.
 */
final class InstalledModules {
  private static final int MAX_INTREE_TRIES = 8;

  private final Path root;
  private final String release;
  private final List<Path> refs;

  /**
   * {@code refs}: modules built against the kernel's headers, the reference when none is in-tree.
   */
  InstalledModules(Path root, String release, List<Path> refs) {
    this.root = root;
    this.release = release;
    this.refs = refs;
  }

  record Reference(KernelModule module, String what) {}

  Optional<Reference> reference(Map<String, String> installed) {
    if (installed != null) {
      int tries = 0;
      for (String rel : new java.util.TreeSet<>(installed.values())) {
        if (!rel.startsWith("kernel/") || tries++ >= MAX_INTREE_TRIES) {
          continue;
        }
        Path p = root.resolve("lib/modules").resolve(release).resolve(rel);
        try {
          KernelModule m = KernelModule.read(p);
          if (m.vermagic().isPresent()) {
            return Optional.of(new Reference(m, "in-tree module " + p));
          }
        } catch (IOException | ModuleFormatException e) {
          // try the next one
        }
      }
    }
    for (Path p : refs) {
      try {
        KernelModule m = KernelModule.read(p);
        if (m.builtFor().filter(release::equals).isPresent()) {
          return Optional.of(new Reference(m, "module built against its headers " + p));
        }
      } catch (IOException | ModuleFormatException e) {
        // not usable as a reference
      }
    }
    return Optional.empty();
  }

  /**
   * The module files below {@code lib/modules/K}, by module name, for a kernel whose modules.dep is
   * not made yet (kernel-install runs its plugins before 50-depmod); null when there are none.
   */
  Map<String, String> unindexed() {
    Path dir = root.resolve("lib/modules").resolve(release);
    if (!java.nio.file.Files.isDirectory(dir)) {
      return null;
    }
    Map<String, String> out = new HashMap<>();
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
      s.filter(p -> p.getFileName().toString().matches(".*\\.ko(\\.gz|\\.xz|\\.zst)?"))
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .forEach(rel -> out.putIfAbsent(moduleName(rel), rel));
    } catch (IOException | java.io.UncheckedIOException e) {
      return null;
    }
    return out.isEmpty() ? null : out;
  }

  /** The modules modules.dep ({@code depText}) lists, by module name. */
  Map<String, String> indexed(String depText) {
    Map<String, String> out = new HashMap<>();
    for (String l : depText.split("\n")) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        String rel = l.substring(0, colon);
        if (rel.startsWith("/lib/modules/" + release + "/")) {
          rel = rel.substring(("/lib/modules/" + release + "/").length());
        }
        out.putIfAbsent(moduleName(rel), rel);
      }
    }
    return out;
  }

  /** {@code kernel/fs/foo-bar.ko.xz} → {@code foo_bar}. */
  static String moduleName(String path) {
    String f = path.substring(path.lastIndexOf('/') + 1);
    int ko = f.indexOf(".ko");
    return (ko > 0 ? f.substring(0, ko) : f).replace('-', '_');
  }
}
