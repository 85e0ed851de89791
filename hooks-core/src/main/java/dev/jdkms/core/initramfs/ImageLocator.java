package dev.jdkms.core.initramfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a kernel's current initramfs image is, by the names the generators and hosts use. */
public final class ImageLocator {
  private ImageLocator() {}

  /**
   * The candidates in order: kernel-install's entry directory ({@code $BOOT/ENTRY-TOKEN/K/initrd},
   * when called from there), Debian's {@code /boot/initrd.img-K}, Fedora's {@code
   * /boot/initramfs-K.img}, SUSE's {@code /boot/initrd-K}, then {@code /boot/initramfs-K}.
   */
  public static List<Path> candidates(Path root, String kernel, Map<String, String> env) {
    List<Path> out = new ArrayList<>();
    String bootRoot = env.getOrDefault("KERNEL_INSTALL_BOOT_ROOT", "");
    String token = env.getOrDefault("KERNEL_INSTALL_ENTRY_TOKEN", "");
    if (!bootRoot.isEmpty() && !token.isEmpty()) {
      out.add(Path.of(bootRoot, token, kernel, "initrd"));
    }
    Path boot = root.resolve("boot");
    out.add(boot.resolve("initrd.img-" + kernel));
    out.add(boot.resolve("initramfs-" + kernel + ".img"));
    out.add(boot.resolve("initrd-" + kernel));
    out.add(boot.resolve("initramfs-" + kernel));
    return out;
  }

  /** The first candidate that exists. */
  public static Optional<Path> find(Path root, String kernel, Map<String, String> env) {
    return candidates(root, kernel, env).stream().filter(Files::isRegularFile).findFirst();
  }
}
