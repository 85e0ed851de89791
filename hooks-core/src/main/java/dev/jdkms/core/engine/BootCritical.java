package dev.jdkms.core.engine;

import dev.jdkms.core.actions.KernelArches;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The registered modules a kernel needs to boot: AUTOINSTALL ones whose dkms.conf (with the
 * /etc/dkms overrides) says REMAKE_INITRD=yes. An adapter asks when the engine failed before it
 * could name the modules that failed, so that its exit policy still knows whether a boot-critical
 * module is among them; the dkms.conf files are read by the core's reader, as the engine reads
 * them.
 */
public final class BootCritical {
  private BootCritical() {}

  /** {@code M/V} of every such module for {@code kernel}, in the tree's order. */
  public static List<String> registeredFor(Session session, String kernel) throws IOException {
    Session quiet = session.fork(Console.silent());
    DkmsTree tree = session.tree();
    String arch = KernelArches.machine();
    List<String> out = new ArrayList<>();
    for (String[] mv : tree.moduleVersions("", "")) {
      Path conf = tree.sourceConf(mv[0], mv[1]);
      if (!Files.isRegularFile(conf)) {
        continue;
      }
      try {
        DkmsConf c = new ConfReader(quiet).read(mv[0], mv[1], kernel, arch, conf);
        if (c.autoinstall() && c.vars().get("REMAKE_INITRD").matches("(?i)y.*")) {
          out.add(mv[0] + "/" + mv[1]);
        }
      } catch (DkmsException e) {
        // an unreadable dkms.conf cannot say it is boot-critical
      }
    }
    return out;
  }
}
