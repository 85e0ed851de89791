package dev.jdkms.hooks.debian;

import dev.jdkms.hooks.EngineResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Debian kernel hooks' exit policy (apt-hook/README.md, "Exit status"): 0 unless a module that
 * failed for the kernel is boot-critical (REMAKE_INITRD=yes, as the engine read it). Only then does
 * the hook fail with the engine's status, so that run-parts stops before initramfs-tools makes an
 * image without the module and the kernel package stays unconfigured; any other failure is a
 * warning (the engine's summary above shows the compiler's error lines) and the kernel is
 * configured as usual.
 */
public final class DebianExitPolicy {
  private DebianExitPolicy() {}

  /** The hook's status and the lines it prints (stdout, after the engine's output). */
  public record Verdict(int status, List<String> lines) {}

  /**
   * @param bootCritical the registered boot-critical modules of a kernel, asked only when the
   *     engine failed before naming any module (then every one of them counts as failed)
   */
  public static Verdict judge(
      String kernel, EngineResult r, Function<String, List<String>> bootCritical) {
    if (r.succeeded()) {
      return new Verdict(0, List.of());
    }
    List<String> failed = r.failedModules(Optional.empty(), false);
    List<String> critical =
        failed.isEmpty() ? bootCritical.apply(kernel) : r.failedModules(Optional.empty(), true);
    List<String> lines = new ArrayList<>();
    lines.add("");
    if (!critical.isEmpty()) {
      lines.add(
          "dkms: ERROR: kernel "
              + kernel
              + ": boot-critical module(s) "
              + String.join(" ", critical)
              + " failed (REMAKE_INITRD=yes in dkms.conf).");
      lines.add(
          "dkms: The kernel package is left unconfigured so that no initramfs is made without"
              + " them and the");
      lines.add(
          "dkms: boot loader keeps the previous kernel. Fix the build, then run: dpkg --configure -a");
      return new Verdict(r.status(), lines);
    }
    String list = failed.isEmpty() ? "unknown" : String.join(" ", failed);
    lines.add(
        "dkms: WARNING: kernel "
            + kernel
            + ": module(s) "
            + list
            + " failed (jdkms exit status "
            + r.status()
            + ").");
    lines.add(
        "dkms: The kernel is configured without them; after fixing the cause run: dkms autoinstall"
            + " -k "
            + kernel);
    return new Verdict(0, lines);
  }
}
