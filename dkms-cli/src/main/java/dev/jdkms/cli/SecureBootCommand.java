package dev.jdkms.cli;

import dev.jdkms.core.build.SigningSetup;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.dkms.Startup;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.kernel.RunningKernel;
import dev.jdkms.core.secureboot.ModuleVerdicts;
import dev.jdkms.core.secureboot.SecureBootProbe;
import dev.jdkms.core.secureboot.SecureBootReport;
import dev.jdkms.core.secureboot.SecureBootState;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jdkms secureboot}: Secure Boot's state read from efivarfs (no mokutil, no root), the
 * certificate builds sign with and whether the firmware trusts it, and which modules installed for
 * the running kernel will load. Exit status 0 when the state could be read (also "not an EFI
 * system"), 1 when it could not or the settings are broken, 2 usage.
 */
@Command(
    name = "secureboot",
    mixinStandardHelpOptions = true,
    description = {
      "Is Secure Boot on, does the firmware trust the certificate dkms signs modules with, and"
          + " which installed modules will the running kernel load, and why?",
      "Reads the EFI variables itself (SecureBoot, MokListRT, db, MokNew, MokSBStateRT); needs"
          + " neither mokutil nor root.",
      "Exit status: 0 the state was read, 1 it could not be, 2 usage."
    })
public final class SecureBootCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-k", "--kernel"},
      paramLabel = "K",
      description = "judge the modules installed for K (default: the running kernel)")
  String kernel;

  @Option(
      names = "--certificate",
      paramLabel = "FILE",
      description = "the certificate to look for (default: the one builds sign with)")
  Path certificate;

  @Option(
      names = "--dkms-tree",
      paramLabel = "DIR",
      description = "the DKMS tree (default: framework.conf's dkms_tree)")
  Path dkmsTree;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      defaultValue = "/",
      description = "read /sys below DIR (default: ${DEFAULT-VALUE})")
  Path root;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      String k = kernel != null ? kernel : RunningKernel.release();
      Path tree = dkmsTree;
      Path cert = certificate;
      Path sourceTree = Path.of("/usr/src");
      if (tree == null || cert == null) {
        Session s = session();
        tree = tree != null ? tree : s.dkmsTreeRoot();
        sourceTree = Path.of(s.setting("source_tree"));
        cert =
            cert != null
                ? cert
                : Path.of(new SigningSetup(s).mokLocation(k, machine()).certificate());
      }
      SecureBootState state = SecureBootProbe.read(root.resolve("sys"));
      var verdicts = new ModuleVerdicts(state).installed(new DkmsTree(tree, sourceTree), k);
      SecureBootReport.lines(state, cert, k, verdicts).forEach(out::println);
      out.flush();
      return state.mode() == SecureBootState.Mode.UNKNOWN ? 1 : 0;
    } catch (DkmsException e) {
      err.println("jdkms secureboot: " + String.join(" ", e.lines()));
      return 1;
    } catch (IOException | UncheckedIOException e) {
      err.println("jdkms secureboot: " + e.getMessage());
      return 1;
    }
  }

  /** The settings a build would use: framework.conf and the environment, read as dkms does. */
  private static Session session() throws DkmsException, IOException {
    ChildEnvironment env = ChildEnvironment.fromProcess();
    Console quiet = Console.silent(); // framework.conf's own output is not this report's
    return Startup.session(quiet, env, Startup.read(quiet, env), new DkmsRequest());
  }

  /** {@code uname -m}, which framework.conf may use as {@code $arch}. */
  private static String machine() {
    String a = System.getProperty("os.arch");
    return a.equals("amd64") ? "x86_64" : a;
  }
}
