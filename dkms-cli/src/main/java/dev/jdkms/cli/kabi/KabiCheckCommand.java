package dev.jdkms.cli.kabi;

import dev.jdkms.core.kabi.KabiCheck;
import dev.jdkms.core.kabi.ModuleFormatException;
import dev.jdkms.core.kabi.Verdict;
import dev.jdkms.core.kabi.VerdictFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jdkms kabi check <module.ko | module/version> --kernel B [--json]}. Exit status: 0
 * compatible, 3 incompatible, 4 unknown (some rule could not be checked), 1 error (unreadable file,
 * malformed module), 2 usage. For a DKMS module/version built for several kernels, 0 when the build
 * for at least one of them is compatible as a whole.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Would kernel B load this module (built for another kernel A)?",
      "Applies the kernel's own rules: ELF flavour, vermagic, the CRC of every import and of"
          + " module_layout, namespaces, GPL-only exports, struct module size, dependencies"
          + " (groups all-or-none), shadowing, signatures, CRC generator.",
      "Exit status: 0 compatible, 3 incompatible, 4 unknown, 1 error, 2 usage."
    })
public final class KabiCheckCommand implements Callable<Integer> {
  static final int COMPATIBLE = 0;
  static final int ERROR = 1;
  static final int INCOMPATIBLE = 3;
  static final int UNKNOWN = 4;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MODULE",
      description = "a module file (.ko, .ko.gz, .ko.xz, .ko.zst) or a DKMS module/version")
  String target;

  @Option(
      names = {"-k", "--kernel"},
      required = true,
      paramLabel = "B",
      description = "the kernel release to check against")
  String kernel;

  @Option(names = "--json", description = "print the verdicts as JSON")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "also list the rules that passed, and all evidence")
  boolean verbose;

  @Option(
      names = "--symvers",
      paramLabel = "FILE",
      description = "use this Module.symvers/symvers.gz for B instead of the one found")
  Path symvers;

  @Mixin KabiTreeOptions trees;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<KabiCheck.Outcome> outcomes;
    try {
      outcomes =
          KabiCheck.run(
              new KabiCheck.Request(
                  target, kernel, trees.root, trees.dkmsTree, Optional.ofNullable(symvers)));
    } catch (KabiCheck.TargetException e) {
      err.println("jdkms kabi check: " + e.getMessage());
      return 2;
    } catch (ModuleFormatException e) {
      err.println("jdkms kabi check: not a readable kernel module: " + e.getMessage());
      return ERROR;
    } catch (IOException | UncheckedIOException e) {
      err.println("jdkms kabi check: " + e.getMessage());
      return ERROR;
    }
    List<Verdict> all = new ArrayList<>();
    for (KabiCheck.Outcome o : outcomes) {
      all.addAll(o.verdicts());
    }
    if (json) {
      out.println(VerdictFormat.json(kernel, all));
    } else {
      out.print(VerdictFormat.text(all, verbose));
    }
    out.flush();
    // one compatible build is enough; else "unknown" (it may still load) before "incompatible"
    if (outcomes.stream().anyMatch(o -> o.status() == Verdict.Status.COMPATIBLE)) {
      return COMPATIBLE;
    }
    return outcomes.stream().anyMatch(o -> o.status() == Verdict.Status.UNKNOWN)
        ? UNKNOWN
        : INCOMPATIBLE;
  }
}
