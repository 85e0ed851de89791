package dev.jdkms.fleet;

import java.nio.file.Path;
import java.util.List;

/**
 * What the build farm did with one module version on one kernel: built (its installed files, in the
 * staging install tree, and whether it is boot-critical), skipped by BUILD_EXCLUSIVE, or failed
 * (with the reason and, for a compiler error, its log).
 */
public record UnitResult(
    String module,
    String version,
    String kernel,
    Status status,
    List<Path> files,
    String installDir,
    boolean updatesInitramfs,
    String detail) {

  /** How the unit ended. */
  public enum Status {
    BUILT,
    SKIPPED,
    FAILED
  }

  public UnitResult {
    files = List.copyOf(files);
  }

  @Override
  public String toString() {
    return module + "/" + version + " " + kernel;
  }
}
