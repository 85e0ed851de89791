package dev.jdkms.hooks.debian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernels whose image is being unpacked over the same release. preinst.d notes the kernel and
 * postinst.d, after the new files are in place, runs it as one "kernel upgraded" plan; a kernel
 * configured without a note (a first install, {@code dpkg --configure -a}) is a "kernel added".
 */
final class UpgradeNotes {
  private final Path dir;

  UpgradeNotes(Path dkmsTree) {
    this.dir = dkmsTree.resolve(".jdkms-deb");
  }

  void note(String kernel) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(file(kernel), "");
  }

  /** Whether the kernel was noted; the note goes. */
  boolean take(String kernel) {
    try {
      return Files.deleteIfExists(file(kernel));
    } catch (IOException e) {
      return Files.exists(file(kernel));
    }
  }

  private Path file(String kernel) {
    return dir.resolve("upgraded." + kernel);
  }
}
