package dev.jdkms.core.actions;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.install.Depmod;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code kernel_preinst} and {@code kernel_prerm}: unbuild modules for a kernel that is about to be
 * upgraded in place (AUTOINSTALL ones, so postinst rebuilds them) or removed (all of them), with
 * one depmod at the end. Upstream calls that depmod with an empty kernel, so it never runs; jdkms
 * runs it for the kernel (the console line is the same).
 */
public final class KernelRemoval {
  private final Session session;
  private final RpmAutoinstall rpmAutoinstall;

  public KernelRemoval(Session session, RpmAutoinstall rpmAutoinstall) {
    this.session = session;
    this.rpmAutoinstall = rpmAutoinstall;
  }

  public int run(boolean preinst) throws DkmsException, IOException {
    DkmsRequest r = session.request();
    String k = r.kernels.get(0);
    String a = r.arches.get(0);
    DkmsTree tree = session.tree();
    StringBuilder failed = new StringBuilder();
    for (String[] mv : tree.moduleVersions("", "")) {
      String m = mv[0];
      String v = mv[1];
      if (!tree.isBuilt(m, v, k, a)) {
        continue;
      }
      if (preinst) {
        DkmsConf conf =
            new ConfReader(session).read(m, v, k, a, tree.sourceLink(m, v).resolve("dkms.conf"));
        if (!conf.autoinstall()) {
          continue;
        }
      }
      session
          .console()
          .errln("dkms: removing module " + m + "/" + v + " for kernel " + k + " (" + a + ")");
      Session unit = session.fork(session.console(), r.forModule(m, v));
      int rc = unit.subshell(() -> unbuild(unit));
      if (rc != 0) {
        failed.append(' ').append(m).append('/').append(v).append('(').append(rc).append(')');
      }
      if (!preinst) {
        session.console().println("");
      }
    }
    Path pending = tree.root().resolve("depmod-pending-" + k + "-" + a);
    if (Files.exists(pending)) {
      Files.delete(pending);
      new CommandRunner(session.console(), session.verbose())
          .run(
              new CommandRunner.Invocation(
                  "do_depmod " + k,
                  "Running depmod",
                  null,
                  true,
                  false,
                  null,
                  session.environment()),
              () -> r.noDepmod ? 0 : Depmod.run(session.kernel(k), session.host()));
    }
    FileTrees.deleteEmptyDirs(session.kernel(k).dir());
    if (failed.length() > 0) {
      throw DkmsException.die(
          ExitCode.KERNEL_ACTION_FAILED,
          "dkms "
              + r.action
              + " for kernel "
              + k
              + " ("
              + a
              + ") failed for module(s)"
              + failed
              + ".");
    }
    return 0;
  }

  private void unbuild(Session unit) throws DkmsException {
    try {
      new Lifecycle(unit, rpmAutoinstall).unbuild();
    } catch (IOException e) {
      throw Lifecycle.io(e);
    }
  }
}
