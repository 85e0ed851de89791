package dev.jdkms.fleet;

/**
 * The names and versions of source packages, as Debian's dh_dkms, Fedora's and Arch's *-dkms
 * packages are named: {@code NAME-dkms} in every format, NAME the dkms PACKAGE_NAME made a package
 * name ({@link DebNames#stem}: {@code acpi_call} is {@code acpi-call-dkms}), at the module's
 * version as each format's binary module packages write it, package revision 1.
 */
public final class SourceNames {
  private static final String REVISION = "1";

  private SourceNames() {}

  public static String packageName(String module) {
    return DebNames.stem(module) + "-dkms";
  }

  /** {@code VERSION-1}, the module's version as {@link DebNames#version} writes it. */
  public static String debVersion(String moduleVersion) {
    return DebNames.version(moduleVersion) + "-" + REVISION;
  }

  /** The rpm version ({@link RpmNames#version}); its release is {@link #revision}. */
  public static String rpmVersion(String moduleVersion) {
    return RpmNames.version(moduleVersion);
  }

  /** {@code pkgver-pkgrel}: {@link PacmanNames#moduleVersion}, pkgrel 1. */
  public static String pacmanVersion(String moduleVersion) {
    return PacmanNames.moduleVersion(moduleVersion) + "-" + REVISION;
  }

  /** The package revision (Debian revision, rpm release, pacman pkgrel). */
  public static String revision() {
    return REVISION;
  }
}
