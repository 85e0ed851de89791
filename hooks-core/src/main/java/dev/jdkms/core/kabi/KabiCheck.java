package dev.jdkms.core.kabi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code jdkms kabi check}: verdicts for a module file, or for every module of a DKMS
 * module/version as built for each other kernel, against kernel B.
 */
public final class KabiCheck {
  /**
   * What to check.
   *
   * @param target a module file, or {@code module/version} in the DKMS tree
   * @param kernel the release B to check against
   * @param root the file-system root ("/")
   * @param dkmsTree the DKMS tree ({@code /var/lib/dkms})
   * @param symvers a symvers file to use for B instead of the one found
   */
  public record Request(
      String target, String kernel, Path root, Path dkmsTree, Optional<Path> symvers) {}

  /** The verdicts of one set of modules built for one kernel. */
  public record Outcome(String builtFor, List<Verdict> verdicts) {
    public Verdict.Status status() {
      Verdict.Status worst = Verdict.Status.COMPATIBLE;
      for (Verdict v : verdicts) {
        if (v.status() == Verdict.Status.INCOMPATIBLE) {
          return Verdict.Status.INCOMPATIBLE;
        }
        if (v.status() == Verdict.Status.UNKNOWN) {
          worst = Verdict.Status.UNKNOWN;
        }
      }
      return worst;
    }
  }

  /** The target names nothing that can be checked (a usage problem, not a verdict). */
  public static final class TargetException extends Exception {
    private static final long serialVersionUID = 1L;

    public TargetException(String message) {
      super(message);
    }
  }

  private KabiCheck() {}

  /**
   * Runs the check: one outcome for a file, one per kernel the DKMS module was built for (B itself
   * excluded), newest kernel last.
   */
  public static List<Outcome> run(Request r)
      throws IOException, ModuleFormatException, TargetException {
    KernelAbiLoader loader =
        new KernelAbiLoader(r.root(), DkmsBuilds.builtFor(r.dkmsTree(), r.kernel()));
    KernelAbi b = loader.load(r.kernel());
    if (r.symvers().isPresent()) {
      b =
          b.toBuilder()
              .symvers(SymbolVersions.read(r.symvers().get()), r.symvers().get().toString())
              .build();
    }
    Path file = Path.of(r.target());
    if (Files.isRegularFile(file)) {
      KernelModule m = KernelModule.read(file);
      Path sv = file.resolveSibling("Module.symvers");
      Candidate c =
          new Candidate(
              m,
              Files.isRegularFile(sv) ? Optional.of(SymbolVersions.read(sv)) : Optional.empty(),
              builtForAbi(loader, m));
      return List.of(
          new Outcome(m.builtFor().orElse(""), CompatibilityChecker.decide(List.of(c), b)));
    }
    int slash = r.target().indexOf('/');
    if (slash <= 0 || slash == r.target().length() - 1 || r.target().indexOf('/', slash + 1) >= 0) {
      throw new TargetException(r.target() + ": neither a module file nor a DKMS module/version");
    }
    String module = r.target().substring(0, slash);
    String version = r.target().substring(slash + 1);
    Map<String, List<DkmsBuilds.Build>> builds = DkmsBuilds.of(r.dkmsTree(), module, version);
    builds.remove(r.kernel());
    if (builds.isEmpty()) {
      throw new TargetException(
          module
              + "/"
              + version
              + " is not built for any kernel other than "
              + r.kernel()
              + " in "
              + r.dkmsTree());
    }
    List<Outcome> out = new ArrayList<>();
    for (Map.Entry<String, List<DkmsBuilds.Build>> e : builds.entrySet()) {
      List<Candidate> cs = new ArrayList<>();
      for (DkmsBuilds.Build build : e.getValue()) {
        Optional<SymbolVersions> sv = Optional.empty();
        if (build.symvers().isPresent()) {
          sv = Optional.of(SymbolVersions.read(build.symvers().get()));
        }
        for (Path p : build.modules()) {
          KernelModule m = KernelModule.read(p);
          cs.add(new Candidate(m, sv, builtForAbi(loader, m)));
        }
      }
      out.add(new Outcome(e.getKey(), CompatibilityChecker.decide(cs, b)));
    }
    return out;
  }

  /** A's ABI, only where the CRC-generator rule cannot infer it from A's release. */
  private static Optional<KernelAbi> builtForAbi(KernelAbiLoader loader, KernelModule m)
      throws IOException {
    Optional<String> a = m.builtFor();
    if (a.isEmpty() || KernelRelease.before(a.get(), 6, 14)) {
      return Optional.empty();
    }
    return Optional.of(loader.load(a.get()));
  }
}
