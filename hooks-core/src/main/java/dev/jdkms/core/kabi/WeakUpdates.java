package dev.jdkms.core.kabi;

import dev.jdkms.core.kernel.VersionOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * weak-updates management, the job RHEL's {@code weak-modules} script does for dkms, decided by the
 * kernel's own rules instead of a depmod dry run: a DKMS module installed for kernel A is linked
 * into {@code /lib/modules/B/weak-updates/} only when it is not built for B and the verdict for its
 * whole group (all modules of that build) is compatible. On a kernel without MODVERSIONS nothing is
 * ever linked (the reason Fedora dropped weak-modules). Links this class manages (those pointing at
 * a DKMS module installed for another kernel) are removed when their verdict no longer holds or
 * their target is gone; other files in weak-updates are never touched.
 */
public final class WeakUpdates {
  /** A link to create: {@code link} → {@code target} (a module installed for {@code builtFor}). */
  public record Link(Path link, Path target, String module, String version, String builtFor) {}

  /**
   * What to do for kernel B, and why.
   *
   * @param add links to create (or keep)
   * @param remove managed links to delete
   * @param verdicts the verdict of every module considered
   * @param note why nothing is linked at all, if so ("" otherwise)
   */
  public record Plan(
      String kernel, List<Link> add, List<Path> remove, List<Verdict> verdicts, String note) {
    public boolean changesSomething() {
      return !remove.isEmpty()
          || add.stream().anyMatch(l -> !WeakLinks.isLinkTo(l.link(), l.target()));
    }
  }

  /** One {@code installed-weak} status entry. */
  public record WeakEntry(String module, String version, String kernel, String arch, String from) {}

  private final Path installTree;
  private final Path dkmsTree;
  private final WeakLinks links;

  public WeakUpdates(Path installTree, Path dkmsTree) {
    this.links = new WeakLinks(installTree, dkmsTree);
    this.installTree = installTree;
    this.dkmsTree = dkmsTree;
  }

  /**
   * Decides the weak-updates links of kernel {@code b}.
   *
   * @param noWeak modules (name, version) whose dkms.conf says NO_WEAK_MODULES=yes
   */
  public Plan plan(KernelAbi b, String arch, BiPredicate<String, String> noWeak)
      throws IOException, ModuleFormatException {
    String kernel = b.release();
    Path weakDir = installTree.resolve(kernel).resolve("weak-updates");
    List<Path> existing = links.managedLinks(weakDir);
    if (!b.modversions().orElse(false)) {
      String why =
          b.modversions().isEmpty()
              ? "whether " + kernel + " has MODVERSIONS is not known"
              : kernel + " has no MODVERSIONS: modules are rebuilt for it, never linked";
      return new Plan(kernel, List.of(), existing, List.of(), why);
    }
    List<Link> add = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    Set<String> linkedNames = new HashSet<>();
    for (Source s : sources(kernel, arch, noWeak)) {
      List<Candidate> cs = new ArrayList<>();
      Optional<SymbolVersions> sv =
          s.symvers().isPresent()
              ? Optional.of(SymbolVersions.read(s.symvers().get()))
              : Optional.empty();
      for (Path f : s.built()) {
        cs.add(new Candidate(KernelModule.read(f), sv, Optional.empty()));
      }
      List<Verdict> vs = CompatibilityChecker.decide(cs, b);
      verdicts.addAll(vs);
      boolean all = vs.stream().allMatch(Verdict::compatible);
      boolean taken = s.installed().keySet().stream().anyMatch(linkedNames::contains);
      if (!all || taken) {
        continue;
      }
      for (Map.Entry<String, Path[]> e : s.installed().entrySet()) {
        Path target = e.getValue()[0];
        add.add(
            new Link(
                weakDir.resolve(e.getValue()[1]), target, s.module(), s.version(), s.kernel()));
        linkedNames.add(e.getKey());
      }
    }
    Set<Path> keep = new HashSet<>();
    add.forEach(l -> keep.add(l.link()));
    List<Path> remove = new ArrayList<>();
    for (Path p : existing) {
      if (!keep.contains(p)) {
        remove.add(p);
      }
    }
    return new Plan(kernel, add, remove, verdicts, "");
  }

  /**
   * Every link jdkms manages in kernel {@code kernel}'s weak-updates, to remove: the kernel is
   * going away (what {@code weak-modules --remove-kernel} does on RHEL).
   */
  public Plan unlinkAll(String kernel) throws IOException {
    Path weakDir = installTree.resolve(kernel).resolve("weak-updates");
    return new Plan(kernel, List.of(), links.managedLinks(weakDir), List.of(), "");
  }

  /**
   * NO_WEAK_MODULES from each module's {@code dkms.conf} ({@code M/V/source/dkms.conf}), read as a
   * plain assignment: a value starting with y or Y (quotes allowed) means yes. (The dkms actions
   * evaluate dkms.conf with bash; this reader is for callers without a dkms session.)
   */
  public static BiPredicate<String, String> noWeakModulesFromConf(Path dkmsTree) {
    return (module, version) -> {
      Path conf = dkmsTree.resolve(module).resolve(version).resolve("source/dkms.conf");
      try {
        String yes = null;
        for (String l : Files.readAllLines(conf, java.nio.charset.StandardCharsets.ISO_8859_1)) {
          String t = l.strip();
          if (t.startsWith("NO_WEAK_MODULES=")) {
            String v = t.substring("NO_WEAK_MODULES=".length()).replace("\"", "").replace("'", "");
            yes = v;
          }
        }
        return yes != null && (yes.startsWith("y") || yes.startsWith("Y"));
      } catch (IOException | RuntimeException e) {
        return false;
      }
    };
  }

  /**
   * {@code installed-weak} entries of one module/version: kernels whose weak-updates link to a
   * module file DKMS installed for {@code module/version} on another kernel.
   */
  public List<WeakEntry> status(
      String module, String version, String kernelFilter, String archFilter) throws IOException {
    List<WeakEntry> out = new ArrayList<>();
    for (Path kdir : DkmsBuilds.list(installTree)) {
      String k = kdir.getFileName().toString();
      if (!kernelFilter.isEmpty() && !kernelFilter.equals(k)) {
        continue;
      }
      Path weakDir = kdir.resolve("weak-updates");
      if (!Files.isDirectory(weakDir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      for (Path link : links.managedLinks(weakDir)) {
        Optional<String[]> owner = links.owner(link);
        if (owner.isEmpty()) {
          continue;
        }
        String[] o = owner.get(); // module, version, kernel, arch
        if (o[0].equals(module)
            && o[1].equals(version)
            && !o[2].equals(k)
            && (archFilter.isEmpty() || archFilter.equals(o[3]))
            && !Files.isDirectory(
                dkmsTree.resolve(module).resolve(version).resolve(k).resolve(o[3]))) {
          WeakEntry e = new WeakEntry(module, version, k, o[3], o[2]);
          if (!out.contains(e)) {
            out.add(e);
          }
        }
      }
    }
    out.sort((a, b) -> VersionOrder.COMPARATOR.compare(a.kernel(), b.kernel()));
    return out;
  }

  /** A DKMS module/version installed for another kernel, with its files. */
  private record Source(
      String module,
      String version,
      String kernel,
      String arch,
      List<Path> built,
      Optional<Path> symvers,
      Map<String, Path[]> installed) {}

  /** Installed DKMS builds for other kernels, newest kernel first, not built for {@code b}. */
  private List<Source> sources(String b, String arch, BiPredicate<String, String> noWeak)
      throws IOException {
    List<Source> out = new ArrayList<>();
    for (Path m : DkmsBuilds.list(dkmsTree)) {
      String module = m.getFileName().toString();
      if (Files.exists(m.resolve("kernel-" + b + "-" + arch), LinkOption.NOFOLLOW_LINKS)) {
        continue; // some version of it is installed for B itself
      }
      for (Path link : DkmsBuilds.list(m)) {
        String n = link.getFileName().toString();
        String prefix = "kernel-";
        String suffix = "-" + arch;
        if (!n.startsWith(prefix) || !n.endsWith(suffix) || !Files.isSymbolicLink(link)) {
          continue;
        }
        String a = n.substring(prefix.length(), n.length() - suffix.length());
        Path built;
        try {
          built = link.toRealPath();
        } catch (IOException e) {
          continue;
        }
        String version = built.getParent().getParent().getFileName().toString();
        if (a.equals(b)
            || noWeak.test(module, version)
            || Files.isDirectory(m.resolve(version).resolve(b).resolve(arch))) {
          continue;
        }
        List<Path> files = new ArrayList<>();
        for (Path f : DkmsBuilds.list(built.resolve("module"))) {
          if (f.getFileName().toString().matches(".*\\.ko(\\.gz|\\.xz|\\.zst)?")) {
            files.add(f);
          }
        }
        Map<String, Path[]> installed = installedCopies(a, files);
        if (files.isEmpty() || installed.size() != files.size()) {
          continue; // not (completely) installed for A: nothing to link to
        }
        Path sv = built.resolve("module/Module.symvers");
        out.add(
            new Source(
                module,
                version,
                a,
                arch,
                files,
                Files.isRegularFile(sv) ? Optional.of(sv) : Optional.empty(),
                installed));
      }
    }
    out.sort((x, y) -> VersionOrder.COMPARATOR.compare(y.kernel(), x.kernel()));
    return out;
  }

  /** For each built file, its installed copy in /lib/modules/A/{updates,extra} and link path. */
  private Map<String, Path[]> installedCopies(String a, List<Path> files) throws IOException {
    Map<String, Path> byName = new HashMap<>();
    files.forEach(f -> byName.put(f.getFileName().toString(), f));
    Map<String, Path[]> out = new LinkedHashMap<>();
    for (String top : List.of("updates", "extra")) {
      Path dir = installTree.resolve(a).resolve(top);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Path f = byName.get(p.getFileName().toString());
          if (f != null
              && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
              && Files.mismatch(f, p) == -1) {
            out.putIfAbsent(p.getFileName().toString(), new Path[] {p, dir.relativize(p)});
          }
        }
      }
    }
    return out;
  }

  /** Makes the links of a plan; returns whether anything changed (then depmod is due). */
  public static boolean apply(Plan plan) throws IOException {
    return WeakLinks.apply(plan);
  }
}
