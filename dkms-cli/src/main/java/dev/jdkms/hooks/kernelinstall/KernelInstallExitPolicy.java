package dev.jdkms.hooks.kernelinstall;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.hooks.EngineResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * kernel-install's exit policy (kernel-install-plugin/README.md): kernel-install stops at the first
 * plugin that fails and returns its status, and a plugin's 77 makes it skip the remaining plugins.
 * So: 0 when a module fails (the kernel, its initramfs and its boot entry are made without it); the
 * engine's status only when a module that failed on this kernel is boot-critical, so that no
 * initramfs and no boot entry are made without it; never 77; {@code remove} never fails.
 */
public final class KernelInstallExitPolicy {
  private KernelInstallExitPolicy() {}

  /** The plugin's status and its lines (stderr). */
  public record Verdict(int status, List<String> lines) {}

  public static Verdict judgeAdd(String kernel, Optional<Path> image, EngineResult r) {
    if (r.succeeded()) {
      return new Verdict(0, List.of());
    }
    List<String> failed = r.failedModules(Optional.of(kernel), false);
    List<String> critical = r.failedModules(Optional.of(kernel), true);
    if (!critical.isEmpty()) {
      return new Verdict(
          r.status() == ExitCode.SKIPPED ? ExitCode.FAILURE : r.status(),
          List.of(
              "jdkms: ERROR: kernel "
                  + kernel
                  + ": boot-critical module(s) "
                  + String.join(" ", critical)
                  + " failed (REMAKE_INITRD=yes in",
              "jdkms: dkms.conf); the error lines are above. kernel-install stops here, so no"
                  + " initramfs and no boot",
              "jdkms: entry are made without them and the boot loader keeps the previous kernel."
                  + " After fixing the",
              "jdkms: cause run: kernel-install add "
                  + kernel
                  + " "
                  + image.map(Path::toString).orElse("KERNEL_IMAGE")));
    }
    if (!failed.isEmpty()) {
      return new Verdict(
          0,
          List.of(
              "jdkms: WARNING: kernel "
                  + kernel
                  + ": module(s) "
                  + String.join(" ", failed)
                  + " failed (jdkms exit status "
                  + r.status()
                  + "); the kernel is",
              "jdkms: installed without them. After fixing the cause run: dkms autoinstall -k "
                  + kernel));
    }
    return new Verdict(
        0,
        List.of(
            "jdkms: WARNING: jdkms could not handle kernel "
                + kernel
                + " (exit status "
                + r.status()
                + "); the kernel is installed",
            "jdkms: without rebuilt modules. Retry with: jdkms transaction --kernel-added "
                + kernel));
  }

  public static Verdict judgeRemove(String kernel, EngineResult r) {
    if (r.succeeded()) {
      return new Verdict(0, List.of());
    }
    return new Verdict(
        0,
        List.of(
            "jdkms: WARNING: removing the modules of kernel "
                + kernel
                + " failed (jdkms exit status "
                + r.status()
                + ")."));
  }
}
