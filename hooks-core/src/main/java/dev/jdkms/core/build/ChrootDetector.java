package dev.jdkms.core.build;

import dev.jdkms.core.exec.ChildEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Debian's {@code ischroot} logic as upstream ports it: fakechroot, a mount view that differs from
 * init's, or a root directory that is not init's. Signing is skipped in chroots by default because
 * image builders would sign with a throwaway key.
 */
final class ChrootDetector {
  private ChrootDetector() {}

  static boolean runningInChroot(ChildEnvironment env, Path proc) {
    String ld = Objects.toString(env.get("LD_PRELOAD"), "");
    if ("true".equals(env.get("FAKECHROOT"))
        && env.get("FAKECHROOT_BASE") != null
        && ld.contains("libfakechroot.so")) {
      return true;
    }
    Path initMounts = proc.resolve("1/mountinfo");
    Path ourMounts = proc.resolve("self/mountinfo");
    if (Files.isReadable(initMounts) && Files.isReadable(ourMounts)) {
      try {
        if (!Files.readString(initMounts).equals(Files.readString(ourMounts))) {
          return true;
        }
      } catch (IOException e) {
        // unreadable: go on to the next test, as the shell version does
      }
    }
    try {
      Object initRoot = Files.getAttribute(proc.resolve("1/root"), "unix:ino");
      Object initDev = Files.getAttribute(proc.resolve("1/root"), "unix:dev");
      Object ourRoot = Files.getAttribute(Path.of("/"), "unix:ino");
      Object ourDev = Files.getAttribute(Path.of("/"), "unix:dev");
      return !(initRoot.equals(ourRoot) && initDev.equals(ourDev));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
