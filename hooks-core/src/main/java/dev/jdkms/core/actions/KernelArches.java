package dev.jdkms.core.actions;

import dev.jdkms.core.kernel.RunningKernel;
import dev.jdkms.core.kernel.VersionSort;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** upstream's {@code setup_kernels_arches}: --all, the running kernel, the machine's arch. */
public final class KernelArches {
  private KernelArches() {}

  /** The session's request with its kernels and arches completed; it fails on an empty one. */
  public static DkmsRequest setUp(Session s) throws DkmsException, IOException {
    DkmsRequest given = s.request();
    DkmsRequest.Builder r = given.toBuilder();
    boolean status = r.action.equals("status");
    if (r.all && !status) {
      // upstream sorts the whole "built|installed M/V/K/A" lines with sort -V, so kernels where
      // the module is only built come before those where it is installed.
      List<String> lines = new ArrayList<>();
      String m = given.module;
      String v = given.moduleVersion;
      if (!m.isEmpty() && !v.isEmpty()) {
        for (String[] ka : s.tree().builtKernels(m, v, "", "")) {
          String state = s.tree().isActive(m, v, ka[0], ka[1]) ? "installed" : "built";
          lines.add(state + " " + m + "/" + v + "/" + ka[0] + "/" + ka[1]);
        }
      }
      lines.sort(VersionSort.COMPARATOR);
      for (String line : lines) {
        String[] parts = line.substring(line.indexOf(' ') + 1).split("/");
        r.kernels.add(parts[parts.length - 2]);
        r.arches.add(parts[parts.length - 1]);
      }
    }
    if (!status) {
      if (r.kernels.isEmpty() && !r.all) {
        r.kernels.add(runningKernel(s));
      }
      if (r.arches.isEmpty()) {
        r.arches.add(machine());
      }
    }
    if (r.arches.size() == 1 && r.kernels.size() > 1) {
      while (r.arches.size() < r.kernels.size()) {
        r.arches.add(r.arches.get(0));
      }
    }
    if (!status) {
      for (int i = 0; i < r.kernels.size(); i++) {
        if (r.kernels.get(i).isEmpty()) {
          throw DkmsException.die(ExitCode.KERNEL_OR_ARCH_EMPTY, "Empty kernelver[" + i + "]");
        }
      }
      for (int i = 0; i < r.arches.size(); i++) {
        if (r.arches.get(i).isEmpty()) {
          throw DkmsException.die(ExitCode.KERNEL_OR_ARCH_EMPTY, "Empty arch[" + i + "]");
        }
      }
    }
    return r.build();
  }

  /** {@code uname -r} without a fork. */
  public static String runningKernel(Session s) throws IOException {
    return RunningKernel.release(s.host().runningRelease());
  }

  /** {@code uname -m}: the JVM's arch name mapped to the kernel's. */
  public static String machine() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64" -> "x86_64";
      case "x86", "i386" -> "i686";
      case "arm" -> "armv7l";
      default -> a;
    };
  }
}
