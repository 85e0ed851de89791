package dev.jdkms.fleet;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names and versions of binary module packages, as Debian users know them from module-assistant
 * and dkms's old {@code mkbmdeb}: {@code NAME-modules-K} per kernel ({@code
 * v4l2loopback-modules-6.1.0-57-amd64}), and {@code NAME-modules-FLAVOUR} following the newest
 * kernel of a flavour, as {@code linux-image-amd64} does ({@code v4l2loopback-modules-amd64}). NAME
 * is the dkms PACKAGE_NAME made a valid package name (lower case, {@code _} becomes {@code -}).
 */
public final class DebNames {
  // 6.1.0-57-amd64 -> amd64, 6.1.0-57-cloud-amd64 -> cloud-amd64, 6.12.57+deb13-amd64 -> amd64
  private static final Pattern FLAVOUR = Pattern.compile("^[0-9][^-]*-(?:[0-9]+-)?(.+)$");
  private static final Pattern INVALID_NAME = Pattern.compile("[^a-z0-9+.-]");
  private static final Pattern INVALID_VERSION = Pattern.compile("[^A-Za-z0-9.+~]");

  private DebNames() {}

  /** The package-name stem of a dkms module: {@code acpi_call} -> {@code acpi-call}. */
  public static String stem(String module) {
    String s =
        INVALID_NAME.matcher(module.toLowerCase(Locale.ROOT).replace('_', '-')).replaceAll("-");
    return Character.isLetterOrDigit(s.charAt(0)) ? s : "m" + s;
  }

  /** {@code NAME-modules-K}: the modules of one module version for one kernel. */
  public static String perKernel(String module, String kernel) {
    return stem(module) + "-modules-" + kernel.toLowerCase(Locale.ROOT);
  }

  /** {@code NAME-modules-FLAVOUR}: the metapackage that follows the flavour's newest kernel. */
  public static String metapackage(String module, String kernel) {
    return stem(module) + "-modules-" + flavour(kernel);
  }

  /** The flavour of a Debian kernel release (what {@code linux-image-FLAVOUR} names). */
  public static String flavour(String kernel) {
    Matcher m = FLAVOUR.matcher(kernel);
    return m.matches() ? m.group(1) : kernel;
  }

  /**
   * A Debian version for a dkms module version: a hyphen becomes {@code ~} (so that {@code 1.0-rc1}
   * sorts before {@code 1.0} and no Debian revision is implied), other characters dpkg refuses are
   * dropped, and a version not starting with a digit gets {@code 0~} in front.
   */
  public static String version(String moduleVersion) {
    String v = INVALID_VERSION.matcher(moduleVersion.replace('-', '~')).replaceAll("");
    return !v.isEmpty() && Character.isDigit(v.charAt(0)) ? v : "0~" + v;
  }

  /**
   * The metapackage's version: the kernel release without its flavour ({@code 6.1.0-57} as {@code
   * 6.1.0.57}) then the module's, so that a newer kernel or a newer module version is an upgrade.
   */
  public static String metaVersion(String kernel, String moduleVersion) {
    String flavour = flavour(kernel);
    String release =
        kernel.endsWith("-" + flavour)
            ? kernel.substring(0, kernel.length() - flavour.length() - 1)
            : kernel;
    return version(release.replace('-', '.')) + "+" + version(moduleVersion);
  }

  /**
   * The kernel's image packages, any of which satisfies a module package: Debian's signed {@code
   * linux-image-K}, its {@code linux-image-K-unsigned} (which conflicts with it rather than
   * providing it), and Ubuntu's {@code linux-image-unsigned-K}.
   */
  public static String kernelPackages(String kernel) {
    return "linux-image-"
        + kernel
        + " | linux-image-"
        + kernel
        + "-unsigned | linux-image-unsigned-"
        + kernel;
  }

  /** {@code NAME_VERSION_ARCH.deb}. */
  public static String fileName(String name, String version, String architecture) {
    return name + "_" + version + "_" + architecture + ".deb";
  }

  /** dpkg's architecture for the JVM's ({@code os.arch}). */
  public static String architecture(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "i386";
      case "ppc64le" -> "ppc64el";
      default -> osArch;
    };
  }
}
