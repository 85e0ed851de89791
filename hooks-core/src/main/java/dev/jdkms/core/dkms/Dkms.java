package dev.jdkms.core.dkms;

import dev.jdkms.core.actions.Checks;
import dev.jdkms.core.actions.KernelArches;
import dev.jdkms.core.actions.KernelRemoval;
import dev.jdkms.core.actions.Lifecycle;
import dev.jdkms.core.actions.Match;
import dev.jdkms.core.actions.PostTransaction;
import dev.jdkms.core.actions.StatusReport;
import dev.jdkms.core.actions.TreeLocks;
import dev.jdkms.core.actions.Usage;
import dev.jdkms.core.engine.Autoinstall;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tarball.LdTarball;
import dev.jdkms.core.tarball.MkTarball;
import dev.jdkms.core.tree.TreeLock;
import java.io.IOException;

/**
 * The drop-in {@code dkms}: start-up as upstream does it (os-release, framework.conf), the
 * request's sanity checks, kernel/arch defaults, then one action under the tree lock.
 */
public final class Dkms {
  private Dkms() {}

  /** Runs the request; returns the exit status (failures throw with upstream's status). */
  public static int run(Session given) throws DkmsException, IOException {
    Session s = checked(given);
    return switch (s.request().action) {
      case "status" -> status(s);
      case "add", "build", "install" -> addBuildInstall(s);
      case "remove", "unbuild", "uninstall" -> removeUnbuildUninstall(s);
      case "mktarball" -> mktarball(s);
      case "ldtarball" -> ldtarball(s);
      case "autoinstall", "kernel_postinst" -> autoinstall(s);
      case "kernel_preinst", "kernel_prerm" -> kernelRemoval(s);
      case "match" -> match(s);
      case "generate_mok" -> new dev.jdkms.core.build.SigningSetup(s).generateMok() ? 0 : 1;
      case "" -> unknownAction(s);
      default ->
          throw DkmsException.die(
              ExitCode.FAILURE,
              "The action " + s.request().action + " is not supported by jdkms yet.");
    };
  }

  /**
   * upstream's checks of the command line and its {@code setup_kernels_arches}: a session for the
   * request with its kernels and arches completed.
   */
  private static Session checked(Session s) throws DkmsException, IOException {
    DkmsRequest r = s.request();
    if (r.binariesOnly && r.sourceOnly) {
      throw DkmsException.die(
          ExitCode.BINARIES_AND_SOURCE_ONLY,
          "You have specified both --binaries-only and --source-only.",
          "You cannot do this.");
    }
    if (r.kernels.size() != r.arches.size() && r.arches.size() > 1) {
      throw DkmsException.die(
          ExitCode.KERNEL_ARCH_COUNT_MISMATCH,
          "If more than one arch is specified on the command line, then there",
          "must be an equal number of kernel versions also specified (1:1 relationship).");
    }
    if (!r.kernels.isEmpty() && r.all) {
      throw DkmsException.die(
          ExitCode.KERNEL_WITH_ALL,
          "You cannot specify a kernel version and also specify",
          "--all on the command line.");
    }
    if (!r.arches.isEmpty() && r.all) {
      throw DkmsException.die(
          ExitCode.ARCH_WITH_ALL,
          "You cannot specify an arch and also specify",
          "--all on the command line.");
    }
    if (s.setting("parallel_jobs").isEmpty()) {
      s.putSetting("parallel_jobs", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }
    if (s.setting("parallel_jobs").equals("0")) {
      s.putSetting("parallel_jobs", "");
    }
    if (r.action.matches("kernel_(preinst|postinst|prerm)")) {
      haveOneKernel(s, r.action);
    }
    Checks.safeNames(r.module, r.moduleVersion);
    return s.fork(s.console(), KernelArches.setUp(s));
  }

  private static int unknownAction(Session s) {
    s.console().error("Unknown action specified: \"" + s.request().action + "\"");
    Usage.print(s.console());
    return 0;
  }

  private static int status(Session s) throws IOException {
    DkmsRequest r = s.request();
    StatusReport report = new StatusReport(s);
    if (r.kernels.isEmpty()) {
      report.print(r.module, r.moduleVersion, "", r.arches.isEmpty() ? "" : r.arches.get(0));
    } else {
      for (int j = 0; j < r.kernels.size(); j++) {
        report.print(
            r.module,
            r.moduleVersion,
            r.kernels.get(j),
            j < r.arches.size() ? r.arches.get(j) : "");
      }
    }
    return 0;
  }

  private static int addBuildInstall(Session s) throws DkmsException, IOException {
    DkmsRequest r = s.request();
    Checks.allBanned(s, r.action);
    if (!r.action.equals("add")) {
      Checks.notBroken(s);
    }
    if (r.action.equals("install")) {
      Checks.root(s);
    } else {
      Checks.writableTree(s);
    }
    int rc;
    try (TreeLock lock = TreeLocks.acquire(s)) {
      Lifecycle l = new Lifecycle(s, Autoinstall::afterRpm);
      rc =
          switch (r.action) {
            case "add" -> l.add();
            case "build" -> l.build();
            default -> l.install();
          };
      if (rc == 0 && r.action.equals("install")) {
        PostTransaction.run(s);
      }
    }
    return rc;
  }

  private static int removeUnbuildUninstall(Session s) throws DkmsException, IOException {
    DkmsRequest r = s.request();
    Checks.moduleArgs(r.module, r.moduleVersion, r.action);
    Checks.notBroken(s);
    Checks.added(s);
    if (r.action.equals("uninstall")) {
      Checks.root(s);
    } else {
      Checks.writableTree(s);
    }
    try (TreeLock lock = TreeLocks.acquire(s)) {
      Lifecycle l = new Lifecycle(s, Autoinstall::afterRpm);
      int rc =
          switch (r.action) {
            case "remove" -> l.remove();
            case "unbuild" -> l.unbuild();
            default -> l.uninstall();
          };
      if (rc == 0) {
        PostTransaction.run(s);
      }
      return rc;
    }
  }

  private static int autoinstall(Session s) throws DkmsException, IOException {
    haveOneKernel(s, s.request().action);
    Checks.root(s);
    try (TreeLock lock = TreeLocks.acquire(s)) {
      Autoinstall.Outcome o = new Autoinstall(s).run();
      // Upstream means to run post_transaction here but never does (a local-variable bug).
      if (o.status() == 0 && o.installedSomething()) {
        PostTransaction.run(s);
      }
      return o.status();
    }
  }

  private static int match(Session s) throws DkmsException, IOException {
    Checks.root(s);
    haveOneKernel(s, "match");
    try (TreeLock lock = TreeLocks.acquire(s)) {
      return new Match(s, Autoinstall::afterRpm).run();
    }
  }

  private static int kernelRemoval(Session s) throws DkmsException, IOException {
    Checks.root(s);
    haveOneKernel(s, s.request().action);
    try (TreeLock lock = TreeLocks.acquire(s)) {
      return new KernelRemoval(s, Autoinstall::afterRpm)
          .run(s.request().action.equals("kernel_preinst"));
    }
  }

  private static int mktarball(Session s) throws DkmsException, IOException {
    DkmsRequest r = s.request();
    Checks.moduleArgs(r.module, r.moduleVersion, "mktarball");
    Checks.notBroken(s);
    Checks.added(s);
    try (TreeLock lock = TreeLocks.acquire(s)) {
      return new MkTarball(s).run();
    }
  }

  private static int ldtarball(Session s) throws DkmsException, IOException {
    if (!Checks.isRoot(s) && s.request().force) {
      throw DkmsException.die(
          ExitCode.NOT_ROOT, "You must be root to use this command with the --force option.");
    }
    try (TreeLock lock = TreeLocks.acquire(s)) {
      return new LdTarball(s, new Lifecycle(s, Autoinstall::afterRpm).moduleAdder()).run();
    }
  }

  private static void haveOneKernel(Session s, String action) throws DkmsException {
    Checks.allBanned(s, action);
    if (s.request().kernels.size() != 1) {
      if (action.matches("kernel_(preinst|postinst|prerm)")) {
        throw DkmsException.die(
            ExitCode.ONE_KERNEL_ONLY,
            "The action "
                + action
                + " requires exactly one kernel version parameter on the command line.");
      }
      throw DkmsException.die(
          ExitCode.ONE_KERNEL_ONLY,
          "The action "
              + action
              + " does not support multiple kernel version parameters on the command line.");
    }
  }
}
