package dev.jdkms.cli.fleet;

import dev.jdkms.core.session.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jdkms fleet source}: source packages for module authors, {@code NAME-dkms} as dh_dkms and
 * the rpm and pacman *-dkms packages make them. Its fields are plain types, as {@link
 * FleetBuildCommand}'s, so that picocli's look at this class loads nothing of the fleet module;
 * {@link FleetSourceRun} does the work.
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
      err.println(
          FleetSourceRun.PREFIX
              + "missing --out DIR (jdkms fleet source --help shows every option)");
      err.flush();
      return ExitCode.USAGE;
    }
    return FleetSourceRun.run(sources, format, out, maintainer, stdout, err);
  }
}
