package dev.jdkms.core.install;

import dev.jdkms.core.exec.CallerLocale;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.kernel.KernelTree;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * upstream's {@code do_depmod}: only when the kernel already has modules.dep (headers-only trees
 * get none), with System.map when present; an empty result means the kernel is gone, so its
 * leftover depmod files and directory are removed.
 */
public final class Depmod {
  private Depmod() {}

  public static int run(KernelTree kernel, HostPaths host) throws IOException {
    if (!kernel.hasModulesDep()) {
      return 0;
    }
    Path map = host.systemMap(kernel.release());
    ProcessBuilder pb =
        Files.isRegularFile(map)
            ? new ProcessBuilder("depmod", "-a", kernel.release(), "-F", map.toString())
            : new ProcessBuilder("depmod", "-a", kernel.release());
    CallerLocale.restore(pb);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    int rc = CommandRunner.waitFor(pb.start());
    Path dep = kernel.dir().resolve("modules.dep");
    if (Files.isRegularFile(dep) && Files.size(dep) == 0) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(kernel.dir(), "modules.*")) {
        for (Path p : s) {
          String n = p.getFileName().toString();
          if (n.matches("modules\\.(alias|dep|devname|softdep|symbols|weakdep|.*\\.bin)")) {
            Files.deleteIfExists(p);
          }
        }
      }
      try (DirectoryStream<Path> s = Files.newDirectoryStream(kernel.dir())) {
        if (!s.iterator().hasNext()) {
          Files.delete(kernel.dir());
        }
      }
    }
    return rc;
  }
}
