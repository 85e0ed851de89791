package dev.jdkms.fleet;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.plan.Plan.ModuleVersion;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The checks of a fleet request made before anything is unpacked or built. */
final class FleetInput {
  private FleetInput() {}

  static void check(FleetRequest r) throws FleetException {
    if (r.sources().isEmpty()) {
      throw usage("no module source given (--source DIR with a dkms.conf, or -m M/V)");
    }
    if (r.kernels().isEmpty()) {
      throw usage("no kernel given (-k K, once per kernel)");
    }
    Set<String> seen = new HashSet<>();
    for (String k : r.kernels()) {
      if (!k.matches("[0-9][A-Za-z0-9.+_~-]*") || !seen.add(k)) {
        throw usage("-k " + k + ": not a kernel release (such as 6.1.0-57-amd64), or given twice");
      }
    }
    for (Path s : r.sources()) {
      if (!Files.isRegularFile(s.resolve("dkms.conf"))) {
        throw new FleetException(ExitCode.CONF_MISSING, "no dkms.conf in " + s);
      }
    }
    readable(r.signingKey(), "signing key (--key)");
    readable(r.certificate(), "certificate (--cert)");
  }

  private static void readable(Path p, String what) throws FleetException {
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw usage("the " + what + " " + p + " is not a readable file");
    }
  }

  private static FleetException usage(String message) {
    return new FleetException(ExitCode.USAGE, message);
  }

  /** PACKAGE_NAME and PACKAGE_VERSION of a source directory's dkms.conf. */
  static ModuleVersion names(Session session, Path source) throws FleetException {
    Optional<DkmsConf> c;
    try {
      c = new ConfReader(session).readConf("", "", "", "", source.resolve("dkms.conf"), false);
    } catch (DkmsException e) {
      throw new FleetException(ExitCode.BAD_CONF, source + "/dkms.conf: " + e.lines(), e);
    }
    String name = c.map(DkmsConf::packageName).orElse("");
    String version = c.map(DkmsConf::packageVersion).orElse("");
    if (name.isEmpty() || version.isEmpty()) {
      throw new FleetException(
          ExitCode.BAD_CONF,
          source + "/dkms.conf: PACKAGE_NAME and PACKAGE_VERSION are needed to name its packages");
    }
    return new ModuleVersion(name, version);
  }
}
