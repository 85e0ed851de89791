package dev.jdkms.core.dkms;

import dev.jdkms.core.build.KernelPreparation;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.kernel.VersionOrder;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dkms autoinstall} (and {@code kernel_postinst}): install the newest version of every
 * AUTOINSTALL module for one kernel, in BUILD_DEPENDS order, and report which succeeded, were
 * skipped (BUILD_EXCLUSIVE, status 77), failed, or wait for dependencies.
 */
final class Autoinstall {
  private final Session session;

  Autoinstall(Session session) {
    this.session = session;
  }

  /** The outcome: the exit status and whether this run installed anything new. */
  record Outcome(int status, boolean installedSomething) {}

  Outcome run() throws DkmsException, IOException {
    Console out = session.console();
    if (Files.isRegularFile(Path.of("/etc/dkms/no-autoinstall"))) {
      out.println("Automatic installation of modules has been disabled.");
      return new Outcome(0, false);
    }
    DkmsRequest r = session.request();
    String k = r.kernels.get(0);
    String a = r.arches.get(0);
    DkmsTree tree = session.tree();
    Map<String, String> latest = new LinkedHashMap<>();
    for (dev.jdkms.core.tree.ModuleStatus.Entry e :
        new StatusReport(session).entries("", "", "", "")) {
      if (e.state().equals("broken")) {
        out.error(
            e.module()
                + "/"
                + e.version()
                + " is broken! Missing the source directory or the symbolic link pointing to it.",
            "Manual intervention is required!");
        continue;
      }
      String cur = latest.get(e.module());
      if (cur == null || VersionOrder.greater(e.version(), cur)) {
        latest.put(e.module(), e.version());
      }
    }
    List<String> installed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String[]> toInstall = new ArrayList<>();
    Map<String, List<String>> depends = new LinkedHashMap<>();
    ConfReader confs = new ConfReader(session);
    for (Map.Entry<String, String> mv : latest.entrySet()) {
      String m = mv.getKey();
      String v = mv.getValue();
      if (tree.isActive(m, v, k, a)) {
        installed.add(m);
        continue;
      }
      DkmsConf conf = confs.read(m, v, k, a, tree.sourceLink(m, v).resolve("dkms.conf"));
      if (!conf.autoinstall()) {
        continue;
      }
      toInstall.add(new String[] {m, v});
      depends.put(m, new ArrayList<>(conf.buildDepends()));
    }
    if (toInstall.isEmpty()) {
      return new Outcome(0, false);
    }
    boolean newlyInstalled = false;
    while (true) {
      int progress = 0;
      for (List<String> deps : depends.values()) {
        deps.removeIf(d -> installed.contains(d) || skipped.contains(d));
      }
      List<String[]> next = new ArrayList<>();
      for (String[] mv : toInstall) {
        String m = mv[0];
        String v = mv[1];
        if (!depends.get(m).isEmpty()) {
          next.add(mv);
          continue;
        }
        if (!tree.isBuilt(m, v, k, a)) {
          new KernelPreparation(session).prepare(k, a);
        }
        out.println("Autoinstall of module " + m + "/" + v + " for kernel " + k + " (" + a + ")");
        int status = installOne(m, v, k, a);
        if (status == 0) {
          installed.add(m);
          newlyInstalled = true;
          progress++;
        } else if (status == 77) {
          skipped.add(m);
          progress++;
        } else {
          failed.add(m + "(" + status + ")");
        }
        out.println("");
      }
      toInstall = next;
      if (progress == 0) {
        break;
      }
    }
    if (!installed.isEmpty()) {
      out.println(
          "Autoinstall on " + k + " succeeded for module(s) " + String.join(" ", installed) + ".");
    }
    if (!skipped.isEmpty()) {
      out.println(
          "Autoinstall on " + k + " was skipped for module(s) " + String.join(" ", skipped) + ".");
    }
    if (!failed.isEmpty()) {
      out.println(
          "Autoinstall on " + k + " failed for module(s) " + String.join(" ", failed) + ".");
    }
    List<String> unresolved = new ArrayList<>();
    List<String> deferred = new ArrayList<>();
    for (String[] mv : toInstall) {
      StringBuilder real = new StringBuilder();
      StringBuilder later = new StringBuilder();
      for (String d : depends.get(mv[0])) {
        (latest.containsKey(d) ? real : later).append(' ').append(d);
      }
      String name = mv[0] + "/" + mv[1];
      if (real.length() > 0) {
        out.println(name + " autoinstall failed due to missing dependencies:" + real + ".");
        unresolved.add(name);
      } else {
        out.println(
            name + " autoinstall deferred: BUILD_DEPENDS not registered with DKMS:" + later + ".");
        deferred.add(name);
      }
    }
    if (!deferred.isEmpty()) {
      out.println(
          "Autoinstall on "
              + k
              + " deferred module(s) "
              + String.join(" ", deferred)
              + " due to BUILD_DEPENDS not yet registered with DKMS.");
      out.println(
          "These may be provided externally or by a package not yet configured; autoinstall will"
              + " retry on the next trigger.");
    }
    if (!failed.isEmpty() || !unresolved.isEmpty()) {
      throw DkmsException.die(
          11,
          "One or more modules failed to install during autoinstall.",
          "Refer to previous errors for more information.");
    }
    return new Outcome(0, newlyInstalled);
  }

  /** {@code (module=M module_version=V install_module)}: a subshell for one module. */
  private int installOne(String m, String v, String k, String a) {
    DkmsRequest r = session.request();
    String savedM = r.module;
    String savedV = r.moduleVersion;
    try {
      r.module = m;
      r.moduleVersion = v;
      return session.subshell(() -> new Lifecycle(session).installOneKernel(k, a));
    } finally {
      r.module = savedM;
      r.moduleVersion = savedV;
    }
  }
}
