package dev.jdkms.core.kernel;

import dev.jdkms.core.host.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The release of the running kernel: {@code uname -r} without a fork, the one place it is read. */
public final class RunningKernel {
  /** Where the kernel publishes it. */
  public static final Path OSRELEASE = HostPaths.REAL.runningRelease();

  private RunningKernel() {}

  /** The running kernel's release, read from {@code osrelease} (a host path, injectable). */
  public static String release(Path osrelease) throws IOException {
    return Files.readString(osrelease).strip();
  }

  /** The running kernel's release; {@link UncheckedIOException} when /proc cannot tell. */
  public static String release() {
    try {
      return release(OSRELEASE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
