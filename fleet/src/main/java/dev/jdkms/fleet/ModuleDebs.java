package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vafer.jdeb.DataProducer;
import org.vafer.jdeb.mapping.Mapper;
import org.vafer.jdeb.producers.DataProducerFile;

/**
 * Writes the binary module .debs of a fleet build with jdeb's Java API: {@code NAME-modules-K} per
 * built unit (its modules where jdkms installs them, depending on the kernel's image, the {@link
 * MaintainerScripts}) and per module and kernel flavour the {@code NAME-modules-FLAVOUR}
 * metapackage, which depends on the package of the newest kernel built.
 */
public final class ModuleDebs implements PackageWriter {
  private final Path outDir;
  private final String architecture;
  private final String maintainer;
  private final Instant time;

  public ModuleDebs(Path outDir, String architecture, String maintainer, Instant time) {
    this.outDir = outDir;
    this.architecture = architecture;
    this.maintainer = maintainer;
    this.time = time;
  }

  @Override
  public String packageName(UnitResult u) {
    return DebNames.perKernel(u.module(), u.kernel());
  }

  /** Writes a package per built unit and the metapackages; returns their paths. */
  @Override
  public List<Path> write(List<UnitResult> units) throws FleetException {
    List<Path> out = new ArrayList<>();
    for (UnitResult u : units) {
      if (u.status() == UnitResult.Status.BUILT) {
        out.add(perKernel(u));
      }
    }
    for (UnitResult u :
        PackageWriter.newestPerMetapackage(
            units, u -> DebNames.metapackage(u.module(), u.kernel()))) {
      out.add(metapackage(u));
    }
    return out;
  }

  private Path perKernel(UnitResult u) throws FleetException {
    String name = DebNames.perKernel(u.module(), u.kernel());
    String version = DebNames.version(u.version());
    List<String> names = u.files().stream().map(p -> p.getFileName().toString()).toList();
    String control =
        control(name, version, DebNames.kernelPackages(u.kernel()))
            + "Provides: "
            + DebNames.stem(u.module())
            + "-modules\n"
            + "Description: "
            + u.module()
            + " "
            + u.version()
            + " kernel modules for Linux "
            + u.kernel()
            + "\n Built once by jdkms fleet build from the DKMS source "
            + u.module()
            + "/"
            + u.version()
            + "\n and signed with the fleet's key: "
            + String.join(", ", names)
            + ".\n";
    List<DataProducer> data = new ArrayList<>();
    for (Path f : u.files()) {
      String dest = "/lib/modules/" + u.kernel() + u.installDir() + "/" + f.getFileName();
      data.add(new DataProducerFile(f.toFile(), dest, null, null, new Mapper[] {root(0644)}));
    }
    Map<String, String> scripts = new LinkedHashMap<>();
    scripts.put("postinst", MaintainerScripts.postinst(u.kernel(), u.updatesInitramfs()));
    scripts.put("postrm", MaintainerScripts.postrm(u.kernel(), u.updatesInitramfs()));
    String moduleDir = "/lib/modules/" + u.kernel() + u.installDir();
    Path manifest = null;
    try {
      manifest = Manifests.writeTemporary(Manifests.of(u, name, moduleDir), outDir);
      data.add(
          new DataProducerFile(
              manifest.toFile(), Manifests.path(u), null, null, new Mapper[] {root(0644)}));
      return make(name, version, control, scripts, data);
    } catch (IOException e) {
      throw new FleetException(ExitCode.FAILURE, "cannot write " + name + ": " + e.getMessage(), e);
    } finally {
      DebFile.deleteQuietly(manifest);
    }
  }

  private Path metapackage(UnitResult u) throws FleetException {
    String name = DebNames.metapackage(u.module(), u.kernel());
    String version = DebNames.metaVersion(u.kernel(), u.version());
    String target = DebNames.perKernel(u.module(), u.kernel());
    String control =
        control(name, version, target + " (= " + DebNames.version(u.version()) + ")")
            + "Description: "
            + u.module()
            + " kernel modules for the newest "
            + DebNames.flavour(u.kernel())
            + " kernel\n This metapackage follows the newest kernel the fleet builds for ("
            + u.kernel()
            + "),\n so that an upgrade brings a new kernel and its modules together.\n";
    return make(name, version, control, Map.of(), List.of());
  }

  private String control(String name, String version, String depends) {
    return "Package: "
        + name
        + "\nVersion: "
        + version
        + "\nArchitecture: "
        + architecture
        + "\nMaintainer: "
        + maintainer
        + "\nSection: kernel\nPriority: optional\nDepends: "
        + depends
        + "\n";
  }

  private Path make(
      String name,
      String version,
      String control,
      Map<String, String> scripts,
      List<DataProducer> data)
      throws FleetException {
    return DebFile.write(
        outDir, DebNames.fileName(name, version, architecture), control, scripts, data, time);
  }

  /** Owned by root with {@code mode}. */
  private static Mapper root(int mode) {
    return entry -> {
      entry.setUserId(0);
      entry.setGroupId(0);
      entry.setUserName("root");
      entry.setGroupName("root");
      entry.setMode(mode);
      return entry;
    };
  }
}
