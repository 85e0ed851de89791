package dev.jdkms.fleet;

import dev.jdkms.core.kernel.Distribution;
import java.util.regex.Pattern;
import org.redline_rpm.header.Architecture;

/**
 * The names, versions and paths of binary module rpms, as Fedora and RHEL users know them from RPM
 * Fusion's akmods/kmodtool: {@code kmod-NAME-K} per kernel ({@code
 * kmod-nvidia-6.8.9-300.fc40.x86_64}), and the {@code kmod-NAME} metapackage requiring the newest
 * kernel's. NAME is {@link DebNames#stem}. The modules go where jdkms installs them on Fedora and
 * RHEL ({@link Distribution#destModuleLocation}: {@code /extra}), whatever the build machine's
 * distribution put them in the staging tree.
 */
public final class RpmNames {
  private static final Pattern INVALID_VERSION = Pattern.compile("[^A-Za-z0-9._+~^]");
  private static final String RELEASE = "1";

  private RpmNames() {}

  /** {@code kmod-NAME-K}: the modules of one module version for one kernel. */
  public static String perKernel(String module, String kernel) {
    return metapackage(module) + "-" + kernel;
  }

  /** {@code kmod-NAME}: the metapackage that follows the newest kernel built. */
  public static String metapackage(String module) {
    return "kmod-" + DebNames.stem(module);
  }

  /** {@code NAME-kmod}: what kmodtool's packages also provide, for {@code NAME-kmod-common}. */
  public static String kmodCapability(String module) {
    return DebNames.stem(module) + "-kmod";
  }

  /**
   * An rpm version for a dkms module version: a hyphen becomes {@code ~} (rpm versions have none;
   * {@code 1.0-rc1} sorts before {@code 1.0}), other characters rpm refuses are dropped.
   */
  public static String version(String moduleVersion) {
    String v = INVALID_VERSION.matcher(moduleVersion.replace('-', '~')).replaceAll("");
    return v.isEmpty() ? "0" : v;
  }

  /** The per-kernel packages' release. */
  public static String release() {
    return RELEASE;
  }

  /**
   * The metapackage's release: the kernel release, hyphens as dots ({@code 6.8.9.300.fc40.x86_64}),
   * so that the same module version built for a newer kernel is an upgrade.
   */
  public static String metaRelease(String kernel) {
    return version(kernel.replace('-', '.'));
  }

  /**
   * {@code /usr/lib/modules/K/extra}: where jdkms installs on Fedora and RHEL, under {@code /usr}
   * as kmodtool's packages (both have {@code /lib} as a link to {@code usr/lib}).
   */
  public static String moduleDir(String kernel) {
    return "/usr/lib/modules/" + kernel + new Distribution("fedora").destModuleLocation("", null);
  }

  /** rpm's architecture for the JVM's ({@code os.arch}). */
  public static Architecture architecture(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> Architecture.X86_64;
      case "aarch64", "arm64" -> Architecture.AARCH64;
      case "x86", "i386", "i686" -> Architecture.I386;
      case "ppc64le" -> Architecture.PPC64LE;
      case "s390x" -> Architecture.S390X;
      default -> Architecture.NOARCH;
    };
  }
}
