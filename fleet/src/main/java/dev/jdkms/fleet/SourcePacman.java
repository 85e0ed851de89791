package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.pacman.format.PackageBuilder;
import dev.jdkms.pacman.format.PkgInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The {@code NAME-dkms} pacman package, as Arch's *-dkms packages are: architecture any, {@code
 * depend = dkms} (jdkms's package provides it), the tree under {@code usr/src/NAME-VERSION/} and no
 * install script: dkms's alpm hooks (jdkms's, pacman-hook) act on {@code usr/src/*}{@code
 * /dkms.conf}.
 */
final class SourcePacman implements SourceWriter {
  private final Path outDir;
  private final String packager;
  private final Instant time;

  SourcePacman(Path outDir, String packager, Instant time) {
    this.outDir = outDir;
    this.packager = packager;
    this.time = time;
  }

  @Override
  public Path write(SourceTree t) throws FleetException {
    PkgInfo info =
        PkgInfo.of(
                SourceNames.packageName(t.module()), SourceNames.pacmanVersion(t.version()), "any")
            .withDescription(
                t.module() + " " + t.version() + " driver in source form (DKMS), by jdkms fleet")
            .withDepends("dkms")
            .withPackager(packager)
            .withBuildDate(time.getEpochSecond());
    PackageBuilder b = new PackageBuilder(info);
    Path pkg = outDir.resolve(info.fileName());
    try {
      b.directory(t.installDir(), 0755);
      for (SourceTree.Entry e : t.entries()) {
        String dest = t.installDir() + "/" + e.path();
        switch (e.kind()) {
          case DIRECTORY -> b.directory(dest, e.mode());
          case FILE -> b.file(dest, e.mode(), e.source());
          case SYMLINK -> b.symlink(dest, e.linkTarget());
        }
      }
      Files.createDirectories(outDir);
      return b.write(pkg);
    } catch (IOException | IllegalArgumentException e) {
      throw new FleetException(ExitCode.FAILURE, "cannot write " + pkg + ": " + e.getMessage(), e);
    }
  }
}
