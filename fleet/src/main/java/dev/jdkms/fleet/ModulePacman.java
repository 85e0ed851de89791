package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.pacman.format.PackageBuilder;
import dev.jdkms.pacman.format.PkgInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the binary module packages of a fleet build for pacman ({@code .pkg.tar.zst}, with
 * pacman-format's writer), one per built unit, named by the kernel package as Arch's prebuilt
 * modules are ({@link PacmanNames}: {@code NAME}, {@code NAME-lts}), depending on that kernel
 * package at exactly the release built for when the release says which ({@code depend =
 * linux=6.12.1.arch1-1}), with an {@code .INSTALL} from {@link MaintainerScripts}. No metapackage:
 * the package's name already follows the kernel package.
 */
public final class ModulePacman implements PackageWriter {
  private final Path outDir;
  private final String architecture;
  private final String packager;
  private final Instant time;

  public ModulePacman(Path outDir, String architecture, String packager, Instant time) {
    this.outDir = outDir;
    this.architecture = architecture;
    this.packager = packager;
    this.time = time;
  }

  @Override
  public String packageName(UnitResult u) {
    return PacmanNames.packageName(u.module(), u.kernel());
  }

  @Override
  public List<Path> write(List<UnitResult> units) throws FleetException {
    List<Path> out = new ArrayList<>();
    for (UnitResult u : units) {
      if (u.status() == UnitResult.Status.BUILT) {
        out.add(write(u));
      }
    }
    return out;
  }

  private Path write(UnitResult u) throws FleetException {
    List<String> names = u.files().stream().map(p -> p.getFileName().toString()).toList();
    PkgInfo info =
        PkgInfo.of(packageName(u), PacmanNames.version(u.kernel(), u.version()), architecture)
            .withDescription(
                u.module()
                    + " "
                    + u.version()
                    + " kernel modules for Linux "
                    + u.kernel()
                    + ", built by jdkms fleet build and signed with the fleet's key: "
                    + String.join(", ", names))
            .withDepends(
                PacmanNames.kernelPackage(u.kernel())
                    .map(k -> new String[] {k.name() + "=" + k.version()})
                    .orElse(new String[0]))
            .withPackager(packager)
            .withBuildDate(time.getEpochSecond());
    PackageBuilder b =
        new PackageBuilder(info)
            .installScript(MaintainerScripts.pacmanInstall(u.kernel(), u.updatesInitramfs()));
    Path pkg = outDir.resolve(info.fileName());
    try {
      for (Path f : u.files()) {
        b.file(PacmanNames.moduleDir(u.kernel()) + "/" + f.getFileName(), 0644, f);
      }
      String manifest = Manifests.of(u, packageName(u), PacmanNames.moduleDir(u.kernel())).text();
      b.file(Manifests.path(u).substring(1), 0644, manifest);
      Files.createDirectories(outDir);
      return b.write(pkg);
    } catch (IOException | IllegalArgumentException e) {
      throw new FleetException(ExitCode.FAILURE, "cannot write " + pkg + ": " + e.getMessage(), e);
    }
  }
}
