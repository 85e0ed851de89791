package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the source package of a module tree in one format: {@link SourceDebs}, {@link SourceRpms},
 * {@link SourcePacman}, all named {@code NAME-dkms} ({@link SourceNames}).
 */
public interface SourceWriter {
  /** Writes the package of {@code tree}; returns its path. */
  Path write(SourceTree tree) throws FleetException;

  /**
   * The writers of {@code formats} (those of {@link PackageWriter#FORMATS}, comma-separated), in
   * the order given; a one-line refusal for any other.
   */
  static List<SourceWriter> of(String formats, Path outDir, String maintainer, Instant time)
      throws FleetException {
    Map<String, SourceWriter> writers = new LinkedHashMap<>();
    for (String f : formats.split(",", -1)) {
      String format = f.strip();
      SourceWriter w =
          switch (format) {
            case "deb" -> new SourceDebs(outDir, maintainer, time);
            case "rpm" -> new SourceRpms(outDir, maintainer);
            case "pacman" -> new SourcePacman(outDir, maintainer, time);
            default ->
                throw new FleetException(
                    ExitCode.USAGE,
                    "--format "
                        + formats
                        + ": unknown format '"
                        + format
                        + "' (expected "
                        + String.join(", ", PackageWriter.FORMATS)
                        + ", or several separated by commas)");
          };
      writers.putIfAbsent(format, w);
    }
    return new ArrayList<>(writers.values());
  }
}
