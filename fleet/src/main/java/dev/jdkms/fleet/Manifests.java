package dev.jdkms.fleet;

import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.tree.PrebuiltManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The manifest every module package ships, so that jdkms on the machine knows the package provides
 * the module for its kernel ({@link PrebuiltManifest}): at {@code
 * /usr/lib/jdkms/prebuilt/K/MODULE}, naming the module files as the package installs them (relative
 * to {@code /lib/modules/K}) with their SHA-256. The three writers take it from here; it holds
 * nothing but names and checksums.
 */
final class Manifests {
  private Manifests() {}

  /** Where the manifest of {@code u} is installed (absolute). */
  static String path(UnitResult u) {
    return HostPaths.REAL.prebuiltManifests().resolve(u.kernel()).resolve(u.module()).toString();
  }

  /** Its directory, {@code /usr/lib/jdkms/prebuilt/K} (a package may own it). */
  static String directory(UnitResult u) {
    return HostPaths.REAL.prebuiltManifests().resolve(u.kernel()).toString();
  }

  /**
   * The manifest of a built unit packaged as {@code packageName}, its modules in {@code moduleDir}
   * (where the package puts them: {@code /lib/modules/K/updates/dkms}, {@code
   * usr/lib/modules/K/extra}...).
   */
  static PrebuiltManifest of(UnitResult u, String packageName, String moduleDir)
      throws FleetException {
    String marker = "modules/" + u.kernel();
    int at = moduleDir.indexOf(marker);
    if (at < 0) {
      throw new IllegalArgumentException(moduleDir + " is not under modules/" + u.kernel());
    }
    String relative = moduleDir.substring(at + marker.length()).replaceAll("^/+|/+$", "");
    List<PrebuiltManifest.File> files = new ArrayList<>();
    for (Path f : u.files()) {
      String name = f.getFileName().toString();
      files.add(
          new PrebuiltManifest.File(relative.isEmpty() ? name : relative + "/" + name, sha256(f)));
    }
    try {
      return new PrebuiltManifest(u.module(), u.version(), u.kernel(), packageName, files);
    } catch (IllegalArgumentException e) {
      throw new FleetException(
          ExitCode.FAILURE, "cannot describe " + u + " for jdkms: " + e.getMessage(), e);
    }
  }

  /** The manifest's text in a temporary file under {@code dir} (for writers that read files). */
  static Path writeTemporary(PrebuiltManifest m, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path p = Files.createTempFile(dir, ".manifest-", "");
    Files.writeString(p, m.text());
    return p;
  }

  private static String sha256(Path f) throws FleetException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new FleetException(ExitCode.FAILURE, "cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
