package dev.jdkms.fleet;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes the binary packages of a fleet build's built units, one format each: a package per module
 * and kernel and what lets upgrades follow the newest kernel. The .deb is {@link ModuleDebs}; rpm
 * ({@code kmod-NAME-KVER}) and pacman writers plug in here.
 */
public interface PackageWriter {
  /** Writes the packages for the built units (others are skipped); returns their paths. */
  List<Path> write(List<UnitResult> units) throws FleetException;

  /** The writer of {@code format} ({@code deb}); a one-line refusal for any other. */
  static PackageWriter of(
      String format, Path outDir, String architecture, String maintainer, Instant time)
      throws FleetException {
    if (format.equals("deb")) {
      return new ModuleDebs(outDir, architecture, maintainer, time);
    }
    throw new FleetException(
        dev.jdkms.core.session.ExitCode.USAGE,
        "--format " + format + ": only deb is supported so far");
  }
}
