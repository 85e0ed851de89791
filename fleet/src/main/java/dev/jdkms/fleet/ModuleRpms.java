package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.redline_rpm.Builder;
import org.redline_rpm.header.Architecture;
import org.redline_rpm.header.Os;
import org.redline_rpm.header.RpmType;
import org.redline_rpm.payload.Directive;

/**
 * Writes the binary module rpms of a fleet build with redline-rpm, as RPM Fusion's kmodtool names
 * and relates them ({@link RpmNames}): {@code kmod-NAME-K} per built unit, requiring {@code
 * kernel-uname-r = K} (as kmodtool does: the capability of the kernel's release, however the
 * distribution splits its kernel into packages), providing {@code kmod-NAME} and {@code NAME-kmod}
 * at its version, with %post and %postun from {@link MaintainerScripts}; and per module the {@code
 * kmod-NAME} metapackage requiring the newest kernel's package at its exact version.
 */
public final class ModuleRpms implements PackageWriter {
  /** rpm's RPMSENSE_EQUAL. */
  private static final int EQUAL = 8;

  private final Path outDir;
  private final Architecture architecture;
  private final String packager;

  public ModuleRpms(Path outDir, Architecture architecture, String packager) {
    this.outDir = outDir;
    this.architecture = architecture;
    this.packager = packager;
  }

  @Override
  public String packageName(UnitResult u) {
    return RpmNames.perKernel(u.module(), u.kernel());
  }

  @Override
  public List<Path> write(List<UnitResult> units) throws FleetException {
    List<Path> out = new ArrayList<>();
    for (UnitResult u : units) {
      if (u.status() == UnitResult.Status.BUILT) {
        out.add(perKernel(u));
      }
    }
    for (UnitResult u :
        PackageWriter.newestPerMetapackage(units, u -> RpmNames.metapackage(u.module()))) {
      out.add(metapackage(u));
    }
    return out;
  }

  private Path perKernel(UnitResult u) throws FleetException {
    String name = RpmNames.perKernel(u.module(), u.kernel());
    String version = RpmNames.version(u.version());
    String full = version + "-" + RpmNames.release();
    Builder b = builder(name, version, RpmNames.release());
    b.setSummary(u.module() + " " + u.version() + " kernel modules for Linux " + u.kernel());
    b.setDescription(
        "Built once by jdkms fleet build from the DKMS source "
            + u.module()
            + "/"
            + u.version()
            + "\nand signed with the fleet's key: "
            + String.join(", ", u.files().stream().map(p -> p.getFileName().toString()).toList())
            + ".");
    b.addDependency("kernel-uname-r", EQUAL, u.kernel());
    b.addProvides(RpmNames.metapackage(u.module()), full);
    b.addProvides(RpmNames.kmodCapability(u.module()), full);
    b.addProvides("kernel-modules-for-kernel", u.kernel());
    b.setPostInstallScript(MaintainerScripts.rpmPost(u.kernel(), u.updatesInitramfs()));
    b.setPostUninstallScript(MaintainerScripts.rpmPostun(u.kernel(), u.updatesInitramfs()));
    Path manifest = null;
    try {
      for (Path f : u.files()) {
        String dest = RpmNames.moduleDir(u.kernel()) + "/" + f.getFileName();
        // no parent directories: the kernel's package owns them
        b.addFile(dest, f.toFile(), 0644, 0755, Directive.NONE, "root", "root", false);
      }
      manifest =
          Manifests.writeTemporary(Manifests.of(u, name, RpmNames.moduleDir(u.kernel())), outDir);
      // the kernel's manifest directory is owned, so that removing the package removes it
      b.addDirectory(Manifests.directory(u), 0755, Directive.NONE, "root", "root", false);
      b.addFile(
          Manifests.path(u), manifest.toFile(), 0644, 0755, Directive.NONE, "root", "root", false);
      return build(b, name);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new FleetException(ExitCode.FAILURE, "cannot pack " + u + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(manifest);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      if (p != null) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary file in the output directory is harmless
    }
  }

  private Path metapackage(UnitResult u) throws FleetException {
    String name = RpmNames.metapackage(u.module());
    String version = RpmNames.version(u.version());
    Builder b = builder(name, version, RpmNames.metaRelease(u.kernel()));
    b.setSummary(u.module() + " kernel modules for the newest kernel");
    b.setDescription(
        "This metapackage follows the newest kernel the fleet builds for ("
            + u.kernel()
            + "),\nso that an upgrade brings a new kernel's modules along.");
    b.addDependency(
        RpmNames.perKernel(u.module(), u.kernel()), EQUAL, version + "-" + RpmNames.release());
    return build(b, name);
  }

  private Builder builder(String name, String version, String release) {
    Builder b = new Builder();
    b.setPackage(name, version, release);
    b.setType(RpmType.BINARY);
    b.setPlatform(architecture, Os.LINUX);
    // the module source's licence is its own (MODULE_LICENSE); rpm requires the tag
    b.setLicense("Unspecified");
    b.setGroup("System Environment/Kernel");
    b.setBuildHost("localhost");
    b.setPackager(packager);
    return b;
  }

  private Path build(Builder b, String name) throws FleetException {
    try {
      Files.createDirectories(outDir);
      return outDir.resolve(b.build(outDir.toFile()));
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      throw new FleetException(
          ExitCode.FAILURE, "cannot write the rpm " + name + ": " + e.getMessage(), e);
    }
  }
}
