package dev.jdkms.core.initramfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a kernel's initramfs must be rebuilt after a transaction changed its modules.
 *
 * <p>Rebuilding an image takes seconds to minutes, so jdkms does it only when it matters: when a
 * module that changed (installed, replaced or removed) is inside the kernel's current image — the
 * image was built with it, so booting would load the old one or miss it — or when the module's
 * dkms.conf declares it boot-critical with {@code REMAKE_INITRD=yes} (upstream deprecated the
 * directive and ignores it; jdkms honours it, and upstream's deprecation line is still printed).
 *
 * <p>Never when the kernel has no image yet, or when the kernel package's own hooks run after jdkms
 * in the same transaction (Debian's {@code postinst.d/initramfs-tools} after {@code dkms};
 * kernel-install's {@code 50-dracut}/{@code 85-initrd} after {@code 40-dkms}): the distribution
 * builds the image next, with the new modules in it.
 */
public final class InitramfsPolicy {
  private InitramfsPolicy() {}

  /** One kernel's verdict and why. */
  public record Decision(
      String kernel,
      boolean regenerate,
      String reason,
      Optional<Path> image,
      Optional<Generator> generator) {}

  /**
   * @param changedModules file names (without {@code .ko} and compression) of modules installed or
   *     removed on the kernel
   * @param bootCritical changed modules whose dkms.conf has REMAKE_INITRD=yes
   * @param imageBuiltNext the kernel package's own hook builds the image after this transaction
   */
  public static Decision decide(
      String kernel,
      Optional<Path> image,
      Optional<Generator> generator,
      Collection<String> changedModules,
      Collection<String> bootCritical,
      boolean imageBuiltNext) {
    return decide(
        kernel,
        image,
        generator,
        changedModules,
        bootCritical,
        imageBuiltNext,
        ReadBudget.Limits.DEFAULT);
  }

  /** The same, reading at most {@code limits} of the image (past them: regenerate). */
  static Decision decide(
      String kernel,
      Optional<Path> image,
      Optional<Generator> generator,
      Collection<String> changedModules,
      Collection<String> bootCritical,
      boolean imageBuiltNext,
      ReadBudget.Limits limits) {
    if (changedModules.isEmpty()) {
      return new Decision(kernel, false, "no module changed", image, generator);
    }
    if (imageBuiltNext) {
      return new Decision(
          kernel, false, "the kernel's own hook builds the image next", image, generator);
    }
    if (image.isEmpty()) {
      return new Decision(kernel, false, "the kernel has no initramfs image", image, generator);
    }
    if (generator.isEmpty()) {
      return new Decision(kernel, false, "no initramfs generator is installed", image, generator);
    }
    if (!bootCritical.isEmpty()) {
      return new Decision(
          kernel,
          true,
          "boot-critical (REMAKE_INITRD): " + String.join(" ", bootCritical),
          image,
          generator);
    }
    Set<String> files;
    try {
      files = InitramfsImage.files(image.get(), limits);
    } catch (ReadBudget.ExceededException e) {
      return new Decision(kernel, true, "image not inspected: " + e.getMessage(), image, generator);
    } catch (IOException | RuntimeException e) {
      // An image we cannot read: rebuilding is the safe side.
      return new Decision(
          kernel, true, "image unreadable (" + e.getMessage() + ")", image, generator);
    }
    List<String> inside = modulesInside(files, kernel, changedModules);
    if (inside.isEmpty()) {
      return new Decision(kernel, false, "no changed module is in the image", image, generator);
    }
    return new Decision(
        kernel, true, "in the image: " + String.join(" ", inside), image, generator);
  }

  /** The changed modules found under {@code lib/modules/K/} (or {@code usr/lib/...}). */
  static List<String> modulesInside(Set<String> files, String kernel, Collection<String> modules) {
    List<String> out = new ArrayList<>();
    for (String m : modules) {
      for (String f : files) {
        int at = f.indexOf("lib/modules/" + kernel + "/");
        if (at < 0 || (at > 0 && !f.startsWith("usr/"))) {
          continue;
        }
        String base = f.substring(f.lastIndexOf('/') + 1);
        if (base.equals(m + ".ko")
            || base.startsWith(m + ".ko.")
            || normalise(base).equals(normalise(m) + ".ko")
            || normalise(base).startsWith(normalise(m) + ".ko.")) {
          out.add(m);
          break;
        }
      }
    }
    return out;
  }

  /** modprobe treats - and _ in module names alike. */
  private static String normalise(String s) {
    return s.replace('-', '_');
  }
}
