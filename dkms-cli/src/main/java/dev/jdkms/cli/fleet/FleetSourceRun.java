package dev.jdkms.cli.fleet;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.fleet.FleetException;
import dev.jdkms.fleet.FleetSource;
import dev.jdkms.fleet.SourceWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Runs {@code jdkms fleet source} from the command line's values: read, write, name them. */
final class FleetSourceRun {
  static final String PREFIX = "jdkms fleet source: ";

  private FleetSourceRun() {}

  static int run(
      List<Path> sources,
      String format,
      Path out,
      String maintainer,
      PrintWriter stdout,
      PrintWriter err) {
    Path work = null;
    try {
      List<SourceWriter> writers = SourceWriter.of(format, out, maintainer, Instant.now());
      work = Files.createTempDirectory("jdkms-fleet-source-");
      for (Path p : new FleetSource(sources, writers).run(work)) {
        stdout.println("  package " + p);
      }
      stdout.flush();
      return ExitCode.SUCCESS;
    } catch (FleetException e) {
      err.println(PREFIX + e.getMessage());
      return e.exitCode();
    } catch (IOException | UncheckedIOException e) {
      err.println(PREFIX + e.getMessage());
      return ExitCode.FAILURE;
    } finally {
      if (work != null) {
        delete(work);
      }
      err.flush();
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary directory is not worth failing for
    }
  }
}
