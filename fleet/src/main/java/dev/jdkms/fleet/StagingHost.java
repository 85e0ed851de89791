package dev.jdkms.fleet;

import dev.jdkms.core.host.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The private host a fleet build runs the engine on: its own DKMS tree, source tree, install tree
 * (one {@code K/build} link per kernel, to installed or unpacked headers), temporary directory and
 * an empty {@code /etc/dkms}, so that neither this machine's framework.conf nor its trees leak into
 * the packages; /proc, /sys and os-release stay the machine's.
 */
final class StagingHost {
  private final Path work;

  StagingHost(Path work) {
    this.work = work;
  }

  HostPaths paths() throws IOException {
    HostPaths real = HostPaths.REAL;
    for (String d : new String[] {"etc-dkms", "tree", "src", "modules", "tmp", "headers"}) {
      Files.createDirectories(work.resolve(d));
    }
    return new HostPaths(
        work.resolve("etc-dkms"),
        work.resolve("tree"),
        work.resolve("src"),
        work.resolve("modules"),
        real.boot(),
        real.proc(),
        real.sys(),
        work.resolve("tmp"),
        real.dkmsShare(),
        real.usrLib(),
        real.osRelease());
  }

  /** Where header packages are unpacked. */
  Path headers() {
    return work.resolve("headers");
  }

  /** {@code modules/K/build} -> {@code headers}: the kernel's build directory, injected. */
  void linkKernel(String kernel, Path headers) throws IOException {
    Path k = Files.createDirectories(work.resolve("modules").resolve(kernel));
    Files.createSymbolicLink(k.resolve("build"), headers.toRealPath());
  }

  /** {@code src/M-V} -> the source directory, as {@code dkms add} expects it. */
  void linkSource(String module, String version, Path source) throws IOException {
    Path link = work.resolve("src").resolve(module + "-" + version);
    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(link, source.toRealPath());
    }
  }

  /** The staging install tree's copy of a kernel's modules. */
  Path kernelDir(String kernel) {
    return work.resolve("modules").resolve(kernel);
  }
}
