package dev.jdkms.pacman;

import dev.jdkms.layout.JdkmsLayout;
import dev.jdkms.layout.LayoutEntry;
import dev.jdkms.layout.LayoutEntry.Format;
import dev.jdkms.pacman.format.PackageBuilder;
import dev.jdkms.pacman.format.PkgInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The jdkms pacman package: what goes where. Run by the build at the package phase:
 *
 * <pre>
 * JdkmsPackage --repo DIR --version 0.1.0-SNAPSHOT --pkgrel 1 --timestamp 2026-01-01T00:00:00Z --out-dir DIR
 * </pre>
 *
 * The files are the package layout's pacman entries ({@link JdkmsLayout}), read from the checkout;
 * the .INSTALL scriptlet and the .PKGINFO relations are this module's.
 */
public final class JdkmsPackage {
  private JdkmsPackage() {}

  public static void main(String[] args) throws IOException {
    Path repo = null;
    Path outDir = null;
    String version = null;
    String dkmsVersion = null;
    String pkgrel = "1";
    long time = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--repo" -> repo = Path.of(args[i + 1]).toAbsolutePath().normalize();
        case "--out-dir" -> outDir = Path.of(args[i + 1]);
        case "--version" -> version = args[i + 1];
        case "--dkms-version" -> dkmsVersion = args[i + 1];
        case "--pkgrel" -> pkgrel = args[i + 1];
        case "--timestamp" -> time = epochSeconds(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (repo == null
        || outDir == null
        || version == null
        || dkmsVersion == null
        || args.length % 2 != 0) {
      throw new IllegalArgumentException(
          "usage: JdkmsPackage --repo DIR --version V --dkms-version V [--pkgrel N] [--timestamp T]"
              + " --out-dir DIR");
    }
    PackageBuilder b = builder(repo, pkgver(version) + "-" + pkgrel, dkmsVersion, time);
    Path out = b.write(Files.createDirectories(outDir).resolve(b.info().fileName()));
    System.out.println("[pacman] " + out + " (" + b.entries().size() + " members)");
  }

  /** pacman's pkgver allows no hyphen (it separates pkgrel): 0.1.0-SNAPSHOT → 0.1.0_SNAPSHOT. */
  static String pkgver(String mavenVersion) {
    return mavenVersion.replace('-', '_');
  }

  /**
   * The package's metadata: a drop-in for dkms {@code dkmsVersion} (the parent pom's
   * dkms.compat.version) under Arch's names.
   */
  static PkgInfo pkgInfo(String version, String dkmsVersion, long time) {
    return PkgInfo.of("jdkms", version, "any")
        .withDescription(
            "Dynamic Kernel Module Support rebuilt in Java (drop-in dkms " + dkmsVersion + ")")
        // LICENSE at the top of the checkout; the rpm declares the same
        .withLicenses("Apache-2.0")
        .withProvides("dkms=" + dkmsVersion)
        .withConflicts("dkms")
        .withBackup(
            JdkmsLayout.conffiles(Format.PACMAN).stream()
                .map(p -> p.substring(1))
                .toArray(String[]::new))
        .withDepends("java-runtime-headless>=17", "bash", "gcc", "make", "kmod", "patch")
        .withBuildDate(time);
  }

  /**
   * Everything in the package: the layout's pacman entries, read from the checkout at {@code repo}.
   */
  static PackageBuilder builder(Path repo, String version, String dkmsVersion, long time)
      throws IOException {
    Path alpm = repo.resolve("pacman-hook/src/main/alpm");
    PackageBuilder b =
        new PackageBuilder(pkgInfo(version, dkmsVersion, time))
            .installScript(Files.readString(alpm.resolve("jdkms.install")));
    for (LayoutEntry e : JdkmsLayout.entries(Format.PACMAN)) {
      switch (e.kind()) {
        case DIRECTORY -> b.directory(e.relativePath(), e.mode());
        case FILE, CONFFILE -> b.file(e.relativePath(), e.mode(), e.sourceIn(repo));
        case SYMLINK -> b.symlink(e.relativePath(), e.source());
      }
    }
    return b;
  }

  private static long epochSeconds(String timestamp) {
    try {
      return Instant.parse(timestamp).getEpochSecond();
    } catch (DateTimeParseException e) {
      return Long.parseLong(timestamp);
    }
  }
}
