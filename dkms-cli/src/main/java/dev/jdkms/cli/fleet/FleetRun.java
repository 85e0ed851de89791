package dev.jdkms.cli.fleet;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.fleet.FleetBuild;
import dev.jdkms.fleet.FleetException;
import dev.jdkms.fleet.FleetRequest;
import dev.jdkms.fleet.FleetSummary;
import dev.jdkms.fleet.PackageWriter;
import dev.jdkms.fleet.UnitResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Runs a fleet build from the command line's values: build, write the packages, summarise. */
final class FleetRun {
  /** The command line's values, as given. */
  record Input(
      List<Path> sources,
      List<String> modules,
      List<String> kernels,
      List<Path> headers,
      Path key,
      Path cert,
      Path out,
      int jobs,
      Optional<Path> work,
      String maintainer,
      String format) {}

  private FleetRun() {}

  static int run(Input in, Console console, PrintWriter out, PrintWriter err) {
    Path work = null;
    boolean keep = in.work().isPresent();
    try {
      PackageWriter writer =
          PackageWriter.of(
              in.format(), in.out(), System.getProperty("os.arch"), in.maintainer(), Instant.now());
      List<Path> sources = new ArrayList<>(in.sources());
      for (String mv : in.modules()) {
        sources.add(addedSource(mv));
      }
      FleetRequest request =
          new FleetRequest(
              sources,
              in.kernels(),
              in.headers(),
              in.key(),
              in.cert(),
              in.out(),
              in.jobs(),
              in.work(),
              in.maintainer());
      work =
          in.work().isPresent()
              ? Files.createDirectories(in.work().get())
              : Files.createTempDirectory("jdkms-fleet-");
      List<UnitResult> units = new FleetBuild(request, console).run(work);
      FleetSummary.print(units, writer, writer.write(units), out);
      if (FleetSummary.count(units, UnitResult.Status.FAILED) == 0) {
        return ExitCode.SUCCESS;
      }
      if (!keep) {
        // the failed builds' logs are in the staging tree: kept for the user to read
        keep = true;
        err.println("jdkms fleet build: the staging trees with the build logs are kept in " + work);
      }
      return ExitCode.FAILURE;
    } catch (FleetException e) {
      err.println("jdkms fleet build: " + e.getMessage());
      return e.exitCode();
    } catch (IOException | UncheckedIOException e) {
      err.println("jdkms fleet build: " + e.getMessage());
      return ExitCode.FAILURE;
    } finally {
      if (work != null && !keep) {
        delete(work);
      }
      err.flush();
    }
  }

  /** The source of M/V added to this machine's DKMS tree (its source link), or /usr/src/M-V. */
  private static Path addedSource(String mv) throws FleetException {
    String[] p = mv.split("/", 2);
    if (p.length != 2 || p[0].isEmpty() || p[1].isEmpty()) {
      throw new FleetException(ExitCode.USAGE, "-m " + mv + ": expected MODULE/VERSION");
    }
    Path link = Path.of("/var/lib/dkms", p[0], p[1], "source");
    Path dir = Files.isDirectory(link) ? link : Path.of("/usr/src", p[0] + "-" + p[1]);
    if (!Files.isRegularFile(dir.resolve("dkms.conf"))) {
      throw new FleetException(
          ExitCode.MODULE_NOT_IN_TREE, "-m " + mv + ": not added to DKMS (no " + dir + ")");
    }
    return dir;
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary directory is not worth failing the build for
    }
  }
}
