package dev.jdkms.fleet;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One build-farm run: module sources (directories with a dkms.conf), the kernels to build for, the
 * header packages of kernels whose headers this machine does not have, the fleet's signing key
 * pair, where the packages go, the job budget (0: one per CPU) and where to work (empty: a
 * temporary directory removed at the end).
 */
public record FleetRequest(
    List<Path> sources,
    List<String> kernels,
    List<Path> headerPackages,
    Path signingKey,
    Path certificate,
    Path outDir,
    int jobs,
    Optional<Path> workDir,
    String maintainer) {

  /** The Maintainer field when none is given. */
  public static final String DEFAULT_MAINTAINER = "jdkms fleet build <root@localhost>";

  public FleetRequest {
    sources = List.copyOf(sources);
    kernels = List.copyOf(kernels);
    headerPackages = List.copyOf(headerPackages);
    Objects.requireNonNull(signingKey);
    Objects.requireNonNull(certificate);
    Objects.requireNonNull(outDir);
    Objects.requireNonNull(workDir);
    Objects.requireNonNull(maintainer);
  }
}
