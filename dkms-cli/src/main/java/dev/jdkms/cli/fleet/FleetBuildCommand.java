package dev.jdkms.cli.fleet;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jdkms fleet build}: the build farm. Its fields are plain types, so that picocli's look at
 * this class loads nothing of the fleet module; {@link FleetRun} does the work.
 */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Build module versions for several kernels in one plan (one job budget), sign them with the"
          + " fleet's key and write one binary package per module and kernel, NAME-modules-K"
          + " (depending on linux-image-K), plus NAME-modules-FLAVOUR following the newest kernel;"
          + " with --format rpm kmod-NAME-K and kmod-NAME, with --format pacman NAME (for linux)"
          + " or NAME-FLAVOUR (for linux-FLAVOUR).",
      "Kernels whose headers are not installed here build against their header packages"
          + " (linux-headers-K, its -common, linux-kbuild-X as apt-get download gives them),"
          + " unpacked privately. Nothing on this machine changes but the output directory.",
      "Exit status: 0 everything built or skipped (BUILD_EXCLUSIVE), 1 a unit failed, 2 usage,"
          + " other: the input was refused (one line says why)."
    })
public final class FleetBuildCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description = "a module source tree with a dkms.conf (repeatable)")
  List<Path> sources = new ArrayList<>();

  @Option(
      names = {"-m", "--module"},
      paramLabel = "M/V",
      description = "a module version added to this machine's DKMS tree (repeatable)")
  List<String> modules = new ArrayList<>();

  @Option(
      names = {"-k", "--kernel"},
      paramLabel = "K",
      description = "a kernel release to build for, such as 6.1.0-57-amd64 (repeatable)")
  List<String> kernels = new ArrayList<>();

  @Option(
      names = "--headers",
      paramLabel = "DEB",
      description = "a header package of a kernel whose headers are not installed (repeatable)")
  List<Path> headers = new ArrayList<>();

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "the fleet's private signing key (PEM; never packaged)")
  Path key;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "the fleet's certificate (PEM or DER), enrolled on the machines")
  Path cert;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "where the packages are written")
  Path out;

  @Option(
      names = {"-j", "--jobs"},
      paramLabel = "N",
      description = "the job budget of all builds together (default: one per CPU)")
  int jobs;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "keep the staging trees and unpacked headers in DIR (default: a temporary"
              + " directory, removed at the end)")
  Path work;

  @Option(
      names = "--maintainer",
      paramLabel = "TEXT",
      description = "the packages' Maintainer field (default: ${DEFAULT-VALUE})",
      defaultValue = "jdkms fleet build <root@localhost>")
  String maintainer;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "deb",
      description =
          "the package formats, one or several separated by commas: deb (NAME-modules-K),"
              + " rpm (kmod-NAME-K), pacman (NAME or NAME-FLAVOUR); default: ${DEFAULT-VALUE}")
  String format;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    // Checked here rather than by picocli, whose usage text would push the reason off the screen.
    List<String> missing = new ArrayList<>();
    if (key == null) {
      missing.add("--key FILE");
    }
    if (cert == null) {
      missing.add("--cert FILE");
    }
    if (out == null) {
      missing.add("--out DIR");
    }
    if (!missing.isEmpty()) {
      err.println(
          "jdkms fleet build: missing "
              + String.join(", ", missing)
              + " (jdkms fleet build --help shows them all)");
      return ExitCode.USAGE;
    }
    return FleetRun.run(
        new FleetRun.Input(
            sources,
            modules,
            kernels,
            headers,
            key,
            cert,
            out,
            jobs,
            Optional.ofNullable(work),
            maintainer,
            format),
        Console.system(),
        spec.commandLine().getOut(),
        err);
  }
}
