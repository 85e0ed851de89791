package dev.jdkms.core.session;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.kernel.Distribution;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a conf on the real console in a child JVM, so a test sees bash's stderr in order with
 * jdkms's own lines. Arguments: {@code DKMS_TREE SOURCE_TREE INSTALL_TREE ETC strict|plain M V K
 * A}.
 */
public final class ReadConfMain {
  private ReadConfMain() {}

  /** The real host, but with the per-module overrides read from {@code etc}. */
  private static HostPaths withEtcDkms(Path etc) {
    HostPaths h = HostPaths.REAL;
    return new HostPaths(
        etc,
        h.dkmsTree(),
        h.sourceTree(),
        h.installTree(),
        h.boot(),
        h.proc(),
        h.sys(),
        h.tmp(),
        h.dkmsShare(),
        h.usrLib(),
        h.osRelease());
  }

  public static void main(String[] args) {
    Session s =
        new Session(
            Console.system(),
            ChildEnvironment.fromProcess(),
            new Distribution("debian"),
            Map.of("dkms_tree", args[0], "source_tree", args[1], "install_tree", args[2]),
            new DkmsRequest(),
            "",
            withEtcDkms(Path.of(args[3])));
    ConfReader r = new ConfReader(s);
    int status =
        s.subshell(
            () -> {
              if (args[4].equals("strict")) {
                r.readStrict(args[5], args[6], args[7], args[8], null);
              } else {
                r.read(args[5], args[6], args[7], args[8], null);
              }
            });
    s.console().println("status " + status);
  }
}
