package dev.jdkms.fleet;

import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vafer.jdeb.Console;
import org.vafer.jdeb.DataProducer;
import org.vafer.jdeb.DebMaker;
import org.vafer.jdeb.PackagingException;
import org.vafer.jdeb.utils.MapVariableResolver;

/**
 * One .deb written with jdeb's API, as every package of the fleet commands is: xz data, SHA-256
 * digests, GNU tar modes for long names and large numbers, and one timestamp for every member.
 */
final class DebFile {
  private DebFile() {}

  /**
   * Writes {@code outDir/fileName} from its control file, maintainer scripts (executable) and data;
   * the control directory is a temporary one beside it.
   */
  static Path write(
      Path outDir,
      String fileName,
      String control,
      Map<String, String> scripts,
      List<DataProducer> data,
      Instant time)
      throws FleetException {
    Path deb = outDir.resolve(fileName);
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
      deleteQuietly(dir);
    }
  }

  /** Deletes a temporary directory; a leftover one is harmless. */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  /** jdeb's messages: only its warnings are shown. */
  private static final class Quiet implements Console {
    @Override
    public void debug(String message) {}

    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {
      System.err.println("jdkms fleet: jdeb: " + message);
    }
  }
}
