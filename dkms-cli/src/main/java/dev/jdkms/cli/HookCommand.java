package dev.jdkms.cli;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.kernel.RunningKernel;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.hooks.CoreEngine;
import dev.jdkms.hooks.TransactionSpool;
import dev.jdkms.hooks.alpm.AlpmHook;
import dev.jdkms.hooks.debian.CommonPostinst;
import dev.jdkms.hooks.debian.DebianKernelHook;
import dev.jdkms.hooks.debian.DkmsTarballs;
import dev.jdkms.hooks.kernelinstall.KernelInstallPlugin;
import dev.jdkms.hooks.rpm.FileStates;
import dev.jdkms.hooks.rpm.RpmTrigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code jdkms hook HOST ARG...}: the one entry point of the files package managers run (the Debian
 * kernel hooks, the kernel-install plugin, the rpm triggers, the alpm hook handler). Each of those
 * is a stub that execs this with the arguments and environment it was given. Parsed by hand and
 * dispatched without reflection: one JVM start, nothing loaded that the host's call does not need.
 */
final class HookCommand {
  private HookCommand() {}

  static final String USAGE =
      "Usage: jdkms hook debian|common-postinst|kernel-install|rpm|alpm ARG...  (run by the package managers'"
          + " hook files)";

  /** The notes of rpm and alpm transactions live in the dkms tree, where rpm's %preun writes. */
  private static final Path TREE = HostPaths.REAL.dkmsTree();

  static int run(List<String> args, Console console) {
    if (args.isEmpty()) {
      console.errln(USAGE);
      return ExitCode.USAGE;
    }
    if (args.size() == 1 && JdkmsHelp.asked(args.get(0))) {
      console.println(USAGE);
      return 0;
    }
    List<String> rest = args.subList(1, args.size());
    String stage = rest.isEmpty() ? "" : rest.get(0);
    CoreEngine engine = new CoreEngine(console);
    try {
      return switch (args.get(0)) {
        case "debian" -> new DebianKernelHook(engine, console, System.getenv()).run(rest);
        case "common-postinst" ->
            new CommonPostinst(
                    engine, console, new DkmsTarballs(), HostPaths.REAL.etcDkms(), runningKernel())
                .run(rest);
        case "kernel-install" ->
            new KernelInstallPlugin(engine, console, System.getenv()).run(rest);
        case "rpm" ->
            new RpmTrigger(
                    engine,
                    console,
                    new TransactionSpool(TREE.resolve(".jdkms-rpm")),
                    new FileStates(Path.of("/"), TREE))
                .run(stage, rest.size() > 1 ? rest.get(1) : parentPid(), stdin());
        case "alpm" ->
            new AlpmHook(engine, console, new TransactionSpool(TREE)).run(stage, stdin());
        default -> {
          console.errln(USAGE);
          yield ExitCode.USAGE;
        }
      };
    } catch (IOException | UncheckedIOException e) {
      console.errln("jdkms: " + e.getMessage());
      return ExitCode.FAILURE;
    }
  }

  /** The paths a package manager passes on stdin, one per line. */
  private static List<String> stdin() throws IOException {
    return new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /** {@code uname -r}. */
  private static String runningKernel() throws IOException {
    return RunningKernel.release(RunningKernel.OSRELEASE);
  }

  /** The process that ran the trigger (rpm or dnf) names the transaction. */
  private static String parentPid() {
    return ProcessHandle.current().parent().map(p -> Long.toString(p.pid())).orElse("0");
  }

  static int main(String[] args) {
    return run(Arrays.asList(args).subList(1, args.length), Console.system());
  }
}
