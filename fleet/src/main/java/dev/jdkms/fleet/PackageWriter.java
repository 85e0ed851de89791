package dev.jdkms.fleet;

import dev.jdkms.core.kernel.VersionSort;
import dev.jdkms.core.session.ExitCode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the binary packages of a fleet build's built units, one format each: a package per module
 * and kernel and what lets upgrades follow the newest kernel. The .deb is {@link ModuleDebs}, the
 * rpm {@link ModuleRpms} ({@code kmod-NAME-K}), the pacman package {@link ModulePacman}.
 */
public interface PackageWriter {
  /** The formats {@code --format} accepts, comma-separated. */
  List<String> FORMATS = List.of("deb", "rpm", "pacman");

  /**
   * The distinct formats of a {@code --format} value, in the order given (one of {@link #FORMATS}
   * each); a one-line usage refusal for any other. Shared by the module and source writers.
   */
  static List<String> formats(String formats) throws FleetException {
    Set<String> out = new LinkedHashSet<>();
    for (String f : formats.split(",", -1)) {
      String format = f.strip();
      if (!FORMATS.contains(format)) {
        throw new FleetException(
            ExitCode.USAGE,
            "--format "
                + formats
                + ": unknown format '"
                + format
                + "' (expected "
                + String.join(", ", FORMATS)
                + ", or several separated by commas)");
      }
      out.add(format);
    }
    return List.copyOf(out);
  }

  /** Writes the packages for the built units (others are skipped); returns their paths. */
  List<Path> write(List<UnitResult> units) throws FleetException;

  /** The name of the package holding a built unit's modules, as its package manager shows it. */
  String packageName(UnitResult unit);

  /**
   * The writer of {@code formats} ({@code deb}, {@code rpm}, {@code pacman}, or several
   * comma-separated: each writes its packages in turn); a one-line refusal for any other.
   */
  static PackageWriter of(
      String formats, Path outDir, String osArch, String maintainer, Instant time)
      throws FleetException {
    List<PackageWriter> writers = new ArrayList<>();
    for (String format : formats(formats)) {
      writers.add(
          switch (format) {
            case "deb" -> new ModuleDebs(outDir, DebNames.architecture(osArch), maintainer, time);
            case "rpm" -> new ModuleRpms(outDir, RpmNames.architecture(osArch), maintainer);
            default -> new ModulePacman(outDir, PacmanNames.architecture(osArch), maintainer, time);
          });
    }
    return writers.size() == 1 ? writers.get(0) : all(List.copyOf(writers));
  }

  /**
   * Per metapackage ({@code metapackage} names it for a unit), the built unit of the newest kernel,
   * in the order the metapackages first appear: what each metapackage must depend on.
   */
  static Collection<UnitResult> newestPerMetapackage(
      List<UnitResult> units, Function<UnitResult, String> metapackage) {
    Map<String, UnitResult> newest = new LinkedHashMap<>();
    for (UnitResult u : units) {
      if (u.status() == UnitResult.Status.BUILT) {
        newest.merge(
            metapackage.apply(u),
            u,
            (seen, next) ->
                VersionSort.COMPARATOR.compare(next.kernel(), seen.kernel()) > 0 ? next : seen);
      }
    }
    return newest.values();
  }

  /** Every writer in turn; a unit's package names joined. */
  private static PackageWriter all(List<PackageWriter> writers) {
    return new PackageWriter() {
      @Override
      public List<Path> write(List<UnitResult> units) throws FleetException {
        List<Path> out = new ArrayList<>();
        for (PackageWriter w : writers) {
          out.addAll(w.write(units));
        }
        return out;
      }

      @Override
      public String packageName(UnitResult unit) {
        return String.join(", ", writers.stream().map(w -> w.packageName(unit)).toList());
      }
    };
  }
}
