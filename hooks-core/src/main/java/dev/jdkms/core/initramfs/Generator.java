package dev.jdkms.core.initramfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The initramfs generators jdkms knows, how to find which one a host uses, and how to rebuild one
 * kernel's image with it.
 */
public enum Generator {
  INITRAMFS_TOOLS("initramfs-tools"),
  DRACUT("dracut"),
  MKINITCPIO("mkinitcpio"),
  BOOSTER("booster");

  private final String label;

  Generator(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /**
   * The generator of this host: the one kernel-install was told to use ({@code
   * KERNEL_INSTALL_INITRD_GENERATOR}, when called from there), else the first installed of
   * initramfs-tools (Debian, Ubuntu), dracut (Fedora, openSUSE, RHEL), mkinitcpio (Arch), booster.
   *
   * @param root the file system root to look in ({@code /}, or a sandbox's)
   */
  public static Optional<Generator> detect(Path root, Map<String, String> env) {
    String fromKernelInstall = env.getOrDefault("KERNEL_INSTALL_INITRD_GENERATOR", "");
    for (Generator g : values()) {
      if (g.label.equals(fromKernelInstall) || g.name().equalsIgnoreCase(fromKernelInstall)) {
        return Optional.of(g);
      }
    }
    if (exists(root, "usr/sbin/update-initramfs", "sbin/update-initramfs")
        && Files.isDirectory(root.resolve("etc/initramfs-tools"))) {
      return Optional.of(INITRAMFS_TOOLS);
    }
    if (exists(root, "usr/bin/dracut", "usr/sbin/dracut", "sbin/dracut")) {
      return Optional.of(DRACUT);
    }
    if (exists(root, "usr/bin/mkinitcpio", "usr/sbin/mkinitcpio")) {
      return Optional.of(MKINITCPIO);
    }
    if (exists(root, "usr/bin/booster", "usr/sbin/booster")) {
      return Optional.of(BOOSTER);
    }
    return Optional.empty();
  }

  private static boolean exists(Path root, String... paths) {
    for (String p : paths) {
      if (Files.isExecutable(root.resolve(p))) {
        return true;
      }
    }
    return false;
  }

  /** The command that rebuilds {@code image} for {@code kernel}. */
  public List<String> command(String kernel, Path image) {
    return switch (this) {
      case INITRAMFS_TOOLS -> List.of("update-initramfs", "-u", "-k", kernel);
      case DRACUT -> List.of("dracut", "--force", image.toString(), kernel);
      // mkinitcpio names images after presets, not releases: rebuild every preset.
      case MKINITCPIO -> List.of("mkinitcpio", "-P");
      case BOOSTER ->
          List.of("booster", "build", "--force", "--kernel-version", kernel, image.toString());
    };
  }
}
