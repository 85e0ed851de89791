package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import org.redline_rpm.Builder;
import org.redline_rpm.header.Architecture;
import org.redline_rpm.header.Os;
import org.redline_rpm.header.RpmType;
import org.redline_rpm.payload.Directive;

/**
 * The {@code NAME-dkms} noarch rpm, with redline-rpm: {@code Requires: dkms}, the tree under {@code
 * /usr/src/NAME-VERSION} (owned with its directories), %post and %preun of {@link SourceScripts}.
 */
final class SourceRpms implements SourceWriter {
  private final Path outDir;
  private final String packager;

  SourceRpms(Path outDir, String packager) {
    this.outDir = outDir;
    this.packager = packager;
  }

  @Override
  public Path write(SourceTree t) throws FleetException {
    String name = SourceNames.packageName(t.module());
    Builder b = new Builder();
    b.setPackage(name, SourceNames.rpmVersion(t.version()), SourceNames.revision());
    b.setType(RpmType.BINARY);
    b.setPlatform(Architecture.NOARCH, Os.LINUX);
    b.setSummary(t.module() + " " + t.version() + " driver in source form (DKMS)");
    b.setDescription(
        "The source code of "
            + t.module()
            + ", built with dkms for every kernel with headers.\n"
            + "Written by jdkms fleet source.");
    // the module source's licence is its own (MODULE_LICENSE); rpm requires the tag
    b.setLicense("Unspecified");
    b.setGroup("System Environment/Kernel");
    b.setBuildHost("localhost");
    b.setPackager(packager);
    b.addDependency("dkms", 0, "");
    b.setPostInstallScript(SourceScripts.rpmPost(t));
    b.setPreUninstallScript(SourceScripts.rpmPreun(t));
    String root = "/" + t.installDir();
    try {
      b.addDirectory(root, 0755, Directive.NONE, "root", "root", false);
      for (SourceTree.Entry e : t.entries()) {
        String dest = root + "/" + e.path();
        switch (e.kind()) {
          case DIRECTORY -> b.addDirectory(dest, e.mode(), Directive.NONE, "root", "root", false);
          case FILE ->
              b.addFile(
                  dest, e.source().toFile(), e.mode(), 0755, Directive.NONE, "root", "root", false);
          case SYMLINK -> b.addLink(dest, e.linkTarget(), 0777, "root", "root");
        }
      }
      Files.createDirectories(outDir);
      return outDir.resolve(b.build(outDir.toFile()));
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      throw new FleetException(
          ExitCode.FAILURE, "cannot write the rpm " + name + ": " + e.getMessage(), e);
    }
  }
}
