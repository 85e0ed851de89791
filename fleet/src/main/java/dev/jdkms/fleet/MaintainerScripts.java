package dev.jdkms.fleet;

/**
 * The postinst and postrm of a binary module package: depmod for its kernel, and update-initramfs
 * when the build decided the initramfs must carry the module ({@link InitramfsNeed}). Decided at
 * package build time, so that the scripts are a few fixed lines.
 */
final class MaintainerScripts {
  private MaintainerScripts() {}

  static String postinst(String kernel, boolean initramfs) {
    StringBuilder b = new StringBuilder();
    b.append("#!/bin/sh\nset -e\n");
    b.append("# written by jdkms fleet build: index the modules of ").append(kernel).append('\n');
    b.append("if [ \"$1\" = configure ]; then\n");
    return refresh(b, kernel, initramfs);
  }

  static String postrm(String kernel, boolean initramfs) {
    StringBuilder b = new StringBuilder();
    b.append("#!/bin/sh\nset -e\n");
    b.append("# written by jdkms fleet build: the kernel may already be gone\n");
    b.append("if [ \"$1\" = remove ] && [ -e /lib/modules/")
        .append(kernel)
        .append("/modules.order ]; then\n");
    return refresh(b, kernel, initramfs);
  }

  /** depmod, then the initramfs when the module must be in it; closes the script's {@code if}. */
  private static String refresh(StringBuilder b, String kernel, boolean initramfs) {
    b.append("    depmod -a ").append(kernel).append('\n');
    if (initramfs) {
      b.append("    if [ -x /usr/sbin/update-initramfs ] && [ -e /boot/initrd.img-")
          .append(kernel)
          .append(" ]; then\n        update-initramfs -u -k ")
          .append(kernel)
          .append("\n    fi\n");
    }
    b.append("fi\n");
    return b.toString();
  }
}
