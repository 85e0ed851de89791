package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vafer.jdeb.Console;
import org.vafer.jdeb.DataProducer;
import org.vafer.jdeb.DebMaker;
import org.vafer.jdeb.PackagingException;
import org.vafer.jdeb.mapping.Mapper;
import org.vafer.jdeb.producers.DataProducerFile;
import org.vafer.jdeb.producers.DataProducerLink;
import org.vafer.jdeb.producers.DataProducerPathTemplate;
import org.vafer.jdeb.utils.MapVariableResolver;

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
    Path deb = outDir.resolve(file);
    Path dir = null;
    try {
      Files.createDirectories(outDir);
      dir = Files.createTempDirectory(outDir, ".control-");
      Files.writeString(dir.resolve("control"), control, StandardCharsets.UTF_8);
      for (Map.Entry<String, String> s : scripts.entrySet()) {
        Path p = dir.resolve(s.getKey());
        Files.writeString(p, s.getValue(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      DebMaker maker = new DebMaker(new Quiet(), data, List.of());
      maker.setControl(dir.toFile());
      maker.setDeb(deb.toFile());
      maker.setResolver(new MapVariableResolver(Map.of()));
      maker.setEncoding(StandardCharsets.UTF_8);
      maker.setCompression("xz");
      maker.setDigest("SHA256");
      maker.setTarLongFileMode("gnu");
      maker.setTarBigNumberMode("gnu");
      maker.setOutputTimestampMs(time.toEpochMilli());
      maker.validate();
      maker.makeDeb();
      return deb;
    } catch (IOException | PackagingException e) {
      throw new FleetException(ExitCode.FAILURE, "cannot write " + deb + ": " + e.getMessage(), e);
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover control directory is harmless
    }
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

  /** jdeb's progress is noise; its warnings go to stderr. */
  private static final class Quiet implements Console {
    @Override
    public void debug(String message) {}

    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {
      System.err.println("jdkms fleet source: jdeb: " + message);
    }
  }
}
