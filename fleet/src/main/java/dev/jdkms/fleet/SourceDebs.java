package dev.jdkms.fleet;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vafer.jdeb.DataProducer;
import org.vafer.jdeb.mapping.Mapper;
import org.vafer.jdeb.producers.DataProducerFile;
import org.vafer.jdeb.producers.DataProducerLink;
import org.vafer.jdeb.producers.DataProducerPathTemplate;

/**
 * The {@code NAME-dkms} .deb dh_dkms would make, with jdeb's API: Architecture all, {@code Depends:
 * dkms} (jdkms's .deb provides it), the tree under {@code /usr/src/NAME-VERSION/}, the postinst and
 * prerm of {@link SourceScripts}.
 */
final class SourceDebs implements SourceWriter {
  private final Path outDir;
  private final String maintainer;
  private final Instant time;

  SourceDebs(Path outDir, String maintainer, Instant time) {
    this.outDir = outDir;
    this.maintainer = maintainer;
    this.time = time;
  }

  @Override
  public Path write(SourceTree t) throws FleetException {
    String name = SourceNames.packageName(t.module());
    String version = SourceNames.debVersion(t.version());
    String control =
        "Package: "
            + name
            + "\nVersion: "
            + version
            + "\nArchitecture: all\nMaintainer: "
            + maintainer
            + "\nSection: kernel\nPriority: optional\nDepends: dkms\n"
            + "Description: "
            + t.module()
            + " "
            + t.version()
            + " driver in source form (DKMS)\n This package provides the source code of "
            + t.module()
            + " to be built with dkms\n for every kernel with headers, as written by jdkms fleet"
            + " source.\n";
    List<DataProducer> data = new ArrayList<>();
    String root = "/" + t.installDir();
    data.add(new DataProducerPathTemplate(new String[] {root}, null, null, owner(0755)));
    for (SourceTree.Entry e : t.entries()) {
      String dest = root + "/" + e.path();
      data.add(
          switch (e.kind()) {
            case DIRECTORY ->
                new DataProducerPathTemplate(new String[] {dest}, null, null, owner(e.mode()));
            case FILE ->
                new DataProducerFile(e.source().toFile(), dest, null, null, owner(e.mode()));
            case SYMLINK -> new DataProducerLink(dest, e.linkTarget(), true, null, null, owner(-1));
          });
    }
    Map<String, String> scripts =
        Map.of("postinst", SourceScripts.debPostinst(t, name), "prerm", SourceScripts.debPrerm(t));
    return make(DebNames.fileName(name, version, "all"), control, scripts, data);
  }

  private Path make(
      String file, String control, Map<String, String> scripts, List<DataProducer> data)
      throws FleetException {
    return DebFile.write(outDir, file, control, scripts, data, time);
  }

  /** Owned by root, with {@code mode} (a link's own mode: {@code -1}, left as jdeb sets it). */
  private static Mapper[] owner(int mode) {
    return new Mapper[] {
      entry -> {
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("root");
        entry.setGroupName("root");
        if (mode >= 0) {
          entry.setMode(mode);
        }
        return entry;
      }
    };
  }
}
