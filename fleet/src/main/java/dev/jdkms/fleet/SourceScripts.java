package dev.jdkms.fleet;

/**
 * The maintainer scripts of a source package, per format: the same command lines as dh_dkms's
 * generated scripts for a .deb (its postinst hands the module to dkms's {@code common.postinst},
 * its prerm removes the version from every kernel), and as dkms's own rpm template and Fedora's
 * dkms-packaged modules for an rpm. pacman's needs none: dkms's alpm hooks act on {@code
 * usr/src/*}{@code /dkms.conf}. Names are checked safe for a shell ({@link SourceTree}).
 */
final class SourceScripts {
  static final String COMMON_POSTINST = "/usr/lib/dkms/common.postinst";

  private SourceScripts() {}

  /**
   * {@code configure}: {@code common.postinst NAME VERSION /usr/share/PACKAGE "" OLD-VERSION}, the
   * arguments dh_dkms passes (no tarball under /usr/share/PACKAGE: the source is in /usr/src).
   */
  static String debPostinst(SourceTree t, String packageName) {
    return "#!/bin/sh\nset -e\n"
        + "# written by jdkms fleet source: dkms registers, builds and installs "
        + t.module()
        + "/"
        + t.version()
        + "\n# for the kernels it chooses (as dh_dkms's postinst does)\n"
        + "case \"$1\" in\n"
        + "    configure)\n"
        + "        if [ ! -x "
        + COMMON_POSTINST
        + " ]; then\n"
        + "            echo \"ERROR: "
        + COMMON_POSTINST
        + " is missing: "
        + packageName
        + " needs dkms\" >&2\n"
        + "            exit 1\n"
        + "        fi\n"
        + "        "
        + COMMON_POSTINST
        + " "
        + t.module()
        + " "
        + t.version()
        + " /usr/share/"
        + packageName
        + " \"\" \"$2\"\n"
        + "        ;;\n"
        + "esac\n";
  }

  /** {@code remove}, {@code upgrade}, {@code deconfigure}: the version leaves every kernel. */
  static String debPrerm(SourceTree t) {
    return "#!/bin/sh\nset -e\n"
        + "# written by jdkms fleet source: "
        + t.module()
        + "/"
        + t.version()
        + " leaves every kernel and the DKMS tree\n"
        + "case \"$1\" in\n"
        + "    remove|upgrade|deconfigure)\n"
        + remove(t, "", "        ")
        + "        ;;\n"
        + "esac\n";
  }

  /**
   * rpm's %post: the version registered with {@code --rpm_safe_upgrade} (called by the scriptlet
   * itself: the lock is the rpm process's, so that the old package's %preun of the same version
   * does not undo it), then built and installed for the kernels {@code common.postinst} chooses, or
   * the running one where a dkms has none. A failed build never fails the transaction.
   */
  static String rpmPost(SourceTree t) {
    String mv = "-m " + t.module() + " -v " + t.version();
    return "# written by jdkms fleet source: dkms registers, builds and installs "
        + t.module()
        + "/"
        + t.version()
        + "\n"
        + "dkms add "
        + mv
        + " --rpm_safe_upgrade || :\n"
        + "if [ -x "
        + COMMON_POSTINST
        + " ]; then\n"
        + "    "
        + COMMON_POSTINST
        + " "
        + t.module()
        + " "
        + t.version()
        + " || :\n"
        + "else\n"
        + "    dkms build "
        + mv
        + " && dkms install "
        + mv
        + " || :\n"
        + "fi\n";
  }

  /** rpm's %preun, on erase and on upgrade (then the new %post's lock keeps the same version). */
  static String rpmPreun(SourceTree t) {
    return "# written by jdkms fleet source: "
        + t.module()
        + "/"
        + t.version()
        + " leaves every kernel and the DKMS tree\n"
        + remove(t, " --rpm_safe_upgrade", "");
  }

  private static String remove(SourceTree t, String option, String indent) {
    String mv = "-m " + t.module() + " -v " + t.version();
    return indent
        + "if [ -n \"$(dkms status "
        + mv
        + ")\" ]; then\n"
        + indent
        + "    dkms remove "
        + mv
        + " --all"
        + option
        + (option.isEmpty() ? "" : " || :")
        + "\n"
        + indent
        + "fi\n";
  }
}
