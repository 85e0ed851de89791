package dev.jdkms.fleet;

import dev.jdkms.core.kernel.Distribution;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names and versions of binary module packages for pacman, as Arch names its prebuilt ones:
 * {@code nvidia} for the {@code linux} kernel package, {@code nvidia-lts} for {@code linux-lts}.
 * pacman holds one release of a kernel package at a time, so the package is named by the kernel
 * package (its flavour) and its version carries the kernel release: {@code NAME} or {@code
 * NAME-FLAVOUR}, version {@code K+V-1}. The kernel package and its version come from the release
 * the way Arch's kernels write it ({@code 6.12.1-arch1-1} is {@code linux 6.12.1.arch1-1}, {@code
 * 6.6.63-1-lts} is {@code linux-lts 6.6.63-1}, {@code 6.12.1-zen1-1-zen} is {@code linux-zen
 * 6.12.1.zen1-1}).
 */
public final class PacmanNames {
  // pkgver parts, pkgrel, then the flavour if any: 6.12.1-zen1-1-zen
  private static final Pattern RELEASE =
      Pattern.compile("^([0-9][^-]*(?:-[^-]*[a-z][^-]*)?)-([0-9]+)(?:-([a-z][a-z0-9]*))?$");
  private static final Pattern INVALID_VERSION = Pattern.compile("[^A-Za-z0-9._+]");

  private PacmanNames() {}

  /** A kernel package of Arch: {@code linux-lts} at {@code 6.6.63-1}. */
  public record KernelPackage(String name, String version, String flavour) {}

  /** The kernel package whose kernel has {@code kernel} as its release; empty if not Arch-like. */
  public static Optional<KernelPackage> kernelPackage(String kernel) {
    Matcher m = RELEASE.matcher(kernel);
    if (!m.matches()) {
      return Optional.empty();
    }
    String flavour = m.group(3) == null ? "" : m.group(3);
    return Optional.of(
        new KernelPackage(
            flavour.isEmpty() ? "linux" : "linux-" + flavour,
            m.group(1).replace('-', '.') + "-" + m.group(2),
            flavour));
  }

  /**
   * {@code NAME} for {@code linux}, {@code NAME-FLAVOUR} for {@code linux-FLAVOUR}; for a release
   * not written the Arch way, its {@link DebNames#flavour} ({@code 6.1.0-57-amd64}: amd64).
   */
  public static String packageName(String module, String kernel) {
    String flavour =
        kernelPackage(kernel).map(KernelPackage::flavour).orElse(DebNames.flavour(kernel));
    String stem = DebNames.stem(module);
    return flavour.isEmpty() || flavour.equals(kernel) ? stem : stem + "-" + flavour;
  }

  /**
   * {@code pkgver-pkgrel}: the kernel release then the module version ({@code
   * 6.12.1.arch1.1+1.0-1}), so that a newer kernel or module version is an upgrade; pkgver has no
   * hyphen (it separates pkgrel): a module's {@code 1.0-rc1} becomes {@code 1.0_rc1}.
   */
  public static String version(String kernel, String moduleVersion) {
    return clean(kernel.replace('-', '.')) + "+" + moduleVersion(moduleVersion) + "-1";
  }

  /** A dkms module version as (part of) a pkgver: {@code 1.0-rc1} becomes {@code 1.0_rc1}. */
  public static String moduleVersion(String moduleVersion) {
    return clean(moduleVersion.replace('-', '_'));
  }

  private static String clean(String v) {
    String c = INVALID_VERSION.matcher(v).replaceAll("");
    return c.isEmpty() ? "0" : c;
  }

  /** {@code usr/lib/modules/K/updates/dkms}: where jdkms installs on Arch, without leading /. */
  public static String moduleDir(String kernel) {
    return "usr/lib/modules/" + kernel + new Distribution("arch").destModuleLocation("", null);
  }

  /** pacman's architecture for the JVM's ({@code os.arch}). */
  public static String architecture(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      case "x86", "i386", "i686" -> "i686";
      default -> osArch;
    };
  }
}
