package dev.jdkms.cli.kabi;

import dev.jdkms.core.kabi.DkmsBuilds;
import dev.jdkms.core.kabi.KernelAbi;
import dev.jdkms.core.kabi.KernelAbiLoader;
import dev.jdkms.core.kabi.ModuleFormatException;
import dev.jdkms.core.kabi.VerdictFormat;
import dev.jdkms.core.kabi.WeakUpdates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jdkms kabi weak-updates --kernel B}: links DKMS modules installed for other kernels into
 * {@code /lib/modules/B/weak-updates/} when their verdict is compatible, removes the links whose
 * verdict no longer holds, then runs {@code depmod -a B} if anything changed. For kernel hooks
 * (RHEL/SUSE) after a kernel was added or a module installed or removed.
 */
@Command(
    name = "weak-updates",
    mixinStandardHelpOptions = true,
    description = {
      "Link compatible DKMS modules of other kernels into /lib/modules/B/weak-updates/.",
      "Never on kernels without MODVERSIONS; honours NO_WEAK_MODULES=yes in dkms.conf.",
      "Exit status: 0 done (or nothing to do), 1 error, 2 usage."
    })
public final class KabiWeakUpdatesCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-k", "--kernel"},
      required = true,
      paramLabel = "B",
      description = "the kernel to manage")
  String kernel;

  @Option(
      names = {"-a", "--arch"},
      paramLabel = "ARCH",
      description = "the architecture (default: os.arch as uname -m names it)")
  String arch;

  @Option(names = "--dry-run", description = "print the plan, change nothing")
  boolean dryRun;

  @Option(names = "--json", description = "print the verdicts as JSON")
  boolean json;

  @Mixin KabiTreeOptions trees;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String a = arch != null ? arch : machine();
    try {
      KernelAbi b =
          new KernelAbiLoader(trees.root, DkmsBuilds.builtFor(trees.dkmsTree, kernel)).load(kernel);
      WeakUpdates weak = new WeakUpdates(trees.root.resolve("lib/modules"), trees.dkmsTree);
      WeakUpdates.Plan plan = weak.plan(b, a, WeakUpdates.noWeakModulesFromConf(trees.dkmsTree));
      if (json) {
        out.println(VerdictFormat.json(kernel, plan.verdicts()));
      } else {
        if (!plan.note().isEmpty()) {
          out.println("weak-updates for " + kernel + ": " + plan.note());
        }
        for (WeakUpdates.Link l : plan.add()) {
          out.println(
              "link "
                  + l.link()
                  + " -> "
                  + l.target()
                  + " ("
                  + l.module()
                  + "/"
                  + l.version()
                  + " built for "
                  + l.builtFor()
                  + ")");
        }
        for (Path p : plan.remove()) {
          out.println("remove " + p);
        }
        out.print(VerdictFormat.text(plan.verdicts(), false));
      }
      out.flush();
      if (dryRun) {
        return 0;
      }
      if (WeakUpdates.apply(plan)
          && Files.isDirectory(trees.root.resolve("lib/modules").resolve(kernel))
          && trees.root.toString().equals("/")) {
        Process p =
            dev.jdkms.core.exec.CallerLocale.restore(new ProcessBuilder("depmod", "-a", kernel))
                .inheritIO()
                .start();
        if (p.waitFor() != 0) {
          err.println("jdkms kabi weak-updates: depmod -a " + kernel + " failed");
          return 1;
        }
      }
      return 0;
    } catch (ModuleFormatException e) {
      err.println("jdkms kabi weak-updates: not a readable kernel module: " + e.getMessage());
      return 1;
    } catch (IOException | UncheckedIOException e) {
      err.println("jdkms kabi weak-updates: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static String machine() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64" -> "x86_64";
      case "aarch64" -> "aarch64";
      case "x86" -> "i686";
      default -> a;
    };
  }
}
