package dev.jdkms.fleet;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    List<SourceWriter> writers = new ArrayList<>();
    for (String format : PackageWriter.formats(formats)) {
      writers.add(
          switch (format) {
            case "deb" -> new SourceDebs(outDir, maintainer, time);
            case "rpm" -> new SourceRpms(outDir, maintainer);
            default -> new SourcePacman(outDir, maintainer, time);
          });
    }
    return writers;
  }
}
