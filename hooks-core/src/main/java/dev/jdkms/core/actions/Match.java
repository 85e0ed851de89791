package dev.jdkms.core.actions;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.ModuleStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dkms match --templatekernel T -k K [M]}: build and install for K every module installed
 * for T (optionally only M).
 */
public final class Match {
  private final Session session;
  private final RpmAutoinstall rpmAutoinstall;

  public Match(Session session, RpmAutoinstall rpmAutoinstall) {
    this.session = session;
    this.rpmAutoinstall = rpmAutoinstall;
  }

  public int run() throws DkmsException, IOException {
    DkmsRequest r = session.request();
    Console out = session.console();
    String k = r.kernels.get(0);
    String a = r.arches.get(0);
    String t = r.templateKernel;
    if (t.isEmpty()) {
      throw DkmsException.die(
          ExitCode.MATCH_ARGS_INVALID,
          "Invalid number of parameters passed.",
          "Usage: match --templatekernel=<kernel-version> -k <kernel-version>",
          "   or: match --templatekernel=<kernel-version> -k <kernel-version> <module>");
    }
    if (t.equals(k)) {
      throw DkmsException.die(
          ExitCode.TEMPLATE_IS_TARGET,
          "The templatekernel and the specified kernel version are the same.");
    }
    List<String[]> installed = new ArrayList<>();
    for (ModuleStatus.Entry e : ModuleStatus.entries(session.tree(), "", "", t, a)) {
      if (e.state().equals("broken")) {
        out.error(
            e.module()
                + "/"
                + e.version()
                + ": Missing the module source directory or the symbolic link pointing to it.",
            "Manual intervention is required!");
      } else if (e.state().equals("installed")) {
        installed.add(new String[] {e.module(), e.version()});
      }
    }
    if (!r.module.isEmpty()) {
      if (!Files.isDirectory(session.tree().moduleDir(r.module))) {
        throw DkmsException.die(
            ExitCode.MODULE_NOT_IN_TREE,
            "The module: " + r.module + " is not located in the DKMS tree.");
      }
      installed.removeIf(mv -> !mv[0].equals(r.module));
    }
    out.println("");
    out.println("Matching modules in kernel: " + k + " (" + a + ")");
    out.println("to the configuration of kernel: " + t + " (" + a + ")");
    if (installed.isEmpty()) {
      out.println("");
      out.println("There is nothing to be done for this match.");
      return 0;
    }
    if (!Files.exists(session.kernelSourceDir(k).resolve("include"))) {
      new dev.jdkms.core.build.KernelPreparation(session).prepare(k, a);
    }
    int rc = 0;
    for (String[] mv : installed) {
      out.println("Module:  " + mv[0]);
      out.println("Version: " + mv[1]);
      if (session.tree().isBroken(mv[0], mv[1])) {
        out.error(
            mv[0] + "/" + mv[1] + " is broken!",
            "Missing the source directory or the symbolic link pointing to it.",
            "Manual intervention is required!");
        continue;
      }
      Session unit = session.fork(out, r.forModule(mv[0], mv[1]));
      Lifecycle l = new Lifecycle(unit, rpmAutoinstall);
      unit.subshell(() -> l.maybeBuild(k, a));
      rc = unit.subshell(() -> l.maybeInstall(k, a));
    }
    return rc;
  }
}
