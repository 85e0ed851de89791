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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jdkms fleet source}: source packages for module authors, {@code NAME-dkms} as dh_dkms and
 * the rpm and pacman *-dkms packages make them. Its fields are plain types, as {@link
 * FleetBuildCommand}'s.
 */
@Command(
    name = "source",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write the source package of each module tree (a directory with a dkms.conf): NAME-dkms"
          + " (NAME: PACKAGE_NAME in lower case, _ as -) at the module's version, revision 1,"
          + " holding the tree as /usr/src/PACKAGE_NAME-PACKAGE_VERSION and depending on dkms.",
      "deb: Architecture all; postinst runs /usr/lib/dkms/common.postinst (as dh_dkms's), prerm"
          + " dkms remove --all. rpm: noarch; %post dkms add and common.postinst, %preun dkms"
          + " remove --all (--rpm_safe_upgrade). pacman: no install script (dkms's alpm hooks"
          + " build it).",
      "Nothing is built. Exit status: 0 written, 2 usage, other: a tree was refused (one line"
          + " says why; nothing is written then)."
    })
public final class FleetSourceCommand implements Callable<Integer> {
  private static final String PREFIX = "jdkms fleet source: ";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description = "a module source tree with a dkms.conf (repeatable)")
  List<Path> sources = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "deb",
      description =
          "the package formats, one or several separated by commas: deb, rpm, pacman;"
              + " default: ${DEFAULT-VALUE}")
  String format;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "where the packages are written")
  Path out;

  @Option(
      names = "--maintainer",
      paramLabel = "TEXT",
      description = "the packages' Maintainer (Packager) field (default: ${DEFAULT-VALUE})",
      defaultValue = "jdkms fleet source <root@localhost>")
  String maintainer;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (out == null) {
      err.println(PREFIX + "missing --out DIR (jdkms fleet source --help shows every option)");
      err.flush();
      return ExitCode.USAGE;
    }
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
