package dev.jdkms.fleet;

/**
 * The scripts of a binary module package, per format: depmod for its kernel, and the initramfs when
 * the build decided it must carry the module ({@link InitramfsNeed}), with the format's generator.
 * Decided at package build time, so that the scripts are a few fixed lines. Each runs only while
 * the kernel's module directory exists (the kernel may be gone at removal).
 */
final class MaintainerScripts {
  private MaintainerScripts() {}

  /** How a distribution family regenerates a kernel's initramfs, guarded by its presence. */
  enum Initramfs {
    /** Debian, Ubuntu: initramfs-tools, {@code /boot/initrd.img-K}. */
    UPDATE_INITRAMFS,
    /** Fedora, RHEL: dracut, {@code /boot/initramfs-K.img}. */
    DRACUT,
    /** Arch: mkinitcpio's presets name kernel packages, not releases: all are rebuilt. */
    MKINITCPIO;

    String command(String kernel) {
      return switch (this) {
        case UPDATE_INITRAMFS ->
            "if [ -x /usr/sbin/update-initramfs ] && [ -e /boot/initrd.img-"
                + kernel
                + " ]; then\n    update-initramfs -u -k "
                + kernel
                + "\nfi\n";
        case DRACUT ->
            "if [ -x /usr/bin/dracut ] && [ -e /boot/initramfs-"
                + kernel
                + ".img ]; then\n    dracut -f /boot/initramfs-"
                + kernel
                + ".img "
                + kernel
                + "\nfi\n";
        case MKINITCPIO -> "if [ -x /usr/bin/mkinitcpio ]; then\n    mkinitcpio -P\nfi\n";
      };
    }
  }

  static String postinst(String kernel, boolean initramfs) {
    return "#!/bin/sh\nset -e\n"
        + "# written by jdkms fleet build: index the modules of "
        + kernel
        + "\n"
        + refresh("\"$1\" = configure", kernel, initramfs, Initramfs.UPDATE_INITRAMFS, "");
  }

  static String postrm(String kernel, boolean initramfs) {
    return "#!/bin/sh\nset -e\n"
        + "# written by jdkms fleet build: the kernel may already be gone\n"
        + refresh(
            "\"$1\" = remove ] && [ -e " + modules(kernel) + "/modules.order",
            kernel,
            initramfs,
            Initramfs.UPDATE_INITRAMFS,
            "");
  }

  /** rpm's %post (also after an upgrade: the new files are in place). */
  static String rpmPost(String kernel, boolean initramfs) {
    return "# written by jdkms fleet build: index the modules of "
        + kernel
        + "\n"
        + refresh("-d " + modules(kernel), kernel, initramfs, Initramfs.DRACUT, "");
  }

  /** rpm's %postun, on removal and after an upgrade's removal of the old files. */
  static String rpmPostun(String kernel, boolean initramfs) {
    return "# written by jdkms fleet build: the kernel may already be gone\n"
        + refresh(
            "-e " + modules(kernel) + "/modules.order", kernel, initramfs, Initramfs.DRACUT, "");
  }

  /** pacman's {@code .INSTALL}: the functions alpm calls after install, upgrade and removal. */
  static String pacmanInstall(String kernel, boolean initramfs) {
    String dir = "/usr/lib/modules/" + kernel;
    Initramfs g = Initramfs.MKINITCPIO;
    return "# written by jdkms fleet build: index the modules of "
        + kernel
        + "\npost_install() {\n"
        + refresh("-d " + dir, kernel, initramfs, g, "    ")
        + "}\n\npost_upgrade() {\n    post_install\n}\n\npost_remove() {\n"
        + refresh("-e " + dir + "/modules.order", kernel, initramfs, g, "    ")
        + "}\n";
  }

  private static String modules(String kernel) {
    return "/lib/modules/" + kernel;
  }

  /** {@code if [ COND ]; then depmod (and the initramfs); fi}, each line after {@code indent}. */
  private static String refresh(
      String condition, String kernel, boolean initramfs, Initramfs generator, String indent) {
    StringBuilder b = new StringBuilder();
    b.append("if [ ").append(condition).append(" ]; then\n");
    b.append("    depmod -a ").append(kernel).append('\n');
    if (initramfs) {
      for (String line : generator.command(kernel).split("\n")) {
        b.append("    ").append(line).append('\n');
      }
    }
    b.append("fi\n");
    return b.toString().replaceAll("(?m)^(?=.)", indent);
  }
}
