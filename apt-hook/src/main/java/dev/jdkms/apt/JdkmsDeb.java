package dev.jdkms.apt;

import dev.jdkms.layout.JdkmsLayout;
import dev.jdkms.layout.LayoutEntry;
import dev.jdkms.layout.LayoutEntry.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vafer.jdeb.Console;
import org.vafer.jdeb.DataProducer;
import org.vafer.jdeb.DebMaker;
import org.vafer.jdeb.PackagingException;
import org.vafer.jdeb.mapping.Mapper;
import org.vafer.jdeb.producers.DataProducerFile;
import org.vafer.jdeb.producers.DataProducerLink;
import org.vafer.jdeb.producers.DataProducerPathTemplate;
import org.vafer.jdeb.utils.MapVariableResolver;
import org.vafer.jdeb.utils.Utils;

/**
 * Writes {@code jdkms_VERSION_all.deb} with jdeb's Java API: the package layout's .deb entries
 * ({@link JdkmsLayout}, its conffiles included) and the control files of {@code src/deb/control},
 * whose {@code [[version]]} and {@code [[dkms.compat.version]]} are filled in. Run by the build at
 * the package phase:
 *
 * <pre>
 * JdkmsDeb --repo=CHECKOUT --version=V --dkms-version=V --timestamp=2026-01-01T00:00:00Z --out=DIR
 * </pre>
 */
public final class JdkmsDeb {
  private JdkmsDeb() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("usage: JdkmsDeb --name=value...; got " + a);
      }
      options.put(a.substring(2, eq), a.substring(eq + 1));
    }
    for (String required : List.of("repo", "version", "dkms-version", "timestamp", "out")) {
      if (!options.containsKey(required)) {
        throw new IllegalArgumentException("missing --" + required + "=...");
      }
    }
    Path deb =
        write(
            Path.of(options.get("repo")),
            options.get("version"),
            options.get("dkms-version"),
            Instant.parse(options.get("timestamp")),
            Path.of(options.get("out")));
    System.out.println("jdkms deb: " + deb);
  }

  /** Writes the package into {@code outDir} and returns its path. */
  static Path write(Path repo, String version, String dkmsVersion, Instant time, Path outDir)
      throws IOException, PackagingException {
    List<DataProducer> data = new ArrayList<>();
    // The conffiles control file lists them in this order: by path.
    Map<String, DataProducer> conffiles = new TreeMap<>();
    for (LayoutEntry e : JdkmsLayout.entries(Format.DEB)) {
      DataProducer p = producer(repo, e);
      data.add(p);
      if (e.kind() == LayoutEntry.Kind.CONFFILE) {
        conffiles.put(e.path(), p);
      }
    }
    Path deb = Files.createDirectories(outDir).resolve("jdkms_" + version + "_all.deb");
    DebMaker maker = new DebMaker(new StderrConsole(), data, conffiles.values());
    maker.setControl(repo.resolve("apt-hook/src/deb/control").toFile());
    maker.setDeb(deb.toFile());
    // As jdeb's Maven plugin: 0.1.0-SNAPSHOT is 0.1.0~SNAPSHOT (sorts before 0.1.0).
    String debianVersion =
        Utils.convertToDebianVersion(version, false, "SNAPSHOT", null, Date.from(time));
    maker.setResolver(
        new MapVariableResolver(
            Map.of("version", debianVersion, "dkms.compat.version", dkmsVersion)));
    maker.setEncoding(StandardCharsets.UTF_8);
    maker.setCompression("gzip");
    maker.setDigest("SHA256");
    maker.setTarLongFileMode("gnu");
    maker.setTarBigNumberMode("gnu");
    maker.setOutputTimestampMs(time.toEpochMilli());
    maker.validate();
    maker.makeDeb();
    return deb;
  }

  private static DataProducer producer(Path repo, LayoutEntry e) {
    Mapper[] root = {owned(e.mode())};
    return switch (e.kind()) {
      case DIRECTORY -> new DataProducerPathTemplate(new String[] {e.path()}, null, null, root);
      case FILE, CONFFILE ->
          new DataProducerFile(file(e.sourceIn(repo)), e.path(), null, null, root);
      // jdeb's own owner and mode for a link (root, 644), as its Maven plugin writes it
      case SYMLINK -> new DataProducerLink(e.path(), e.source(), true, null, null, null);
    };
  }

  /** Owned by root with {@code mode}, as jdeb's "perm" mapper does. */
  private static Mapper owned(int mode) {
    return entry -> {
      entry.setUserId(0);
      entry.setGroupId(0);
      entry.setUserName("root");
      entry.setGroupName("root");
      entry.setMode(mode);
      return entry;
    };
  }

  private static java.io.File file(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(
          "missing input file " + p + " (run mvn package from the top)");
    }
    return p.toFile();
  }

  /** jdeb's progress is noise in the build; its warnings are not. */
  private static final class StderrConsole implements Console {
    @Override
    public void debug(String message) {}

    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {
      System.err.println("[jdeb] " + message);
    }
  }
}
