package dev.jdkms.core.tarball;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import java.io.IOException;

/** {@code dkms add|ldtarball FILE.rpm}: the archive is an rpm package, installed with rpm. */
final class RpmArchive {
  private RpmArchive() {}

  /** Installs {@code archive} with {@code rpm -Uvh}; upstream's exit 9 when rpm fails. */
  static void install(Session session, String archive) throws DkmsException {
    Console out = session.console();
    int status;
    try {
      ProcessBuilder pb = new ProcessBuilder("rpm", "-Uvh", archive);
      session.environment().applyTo(pb);
      pb.redirectOutput(out.childOut()).redirectError(out.childErr());
      status = pb.start().waitFor();
    } catch (IOException e) {
      status = 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 130;
    }
    if (status != 0) {
      throw DkmsException.die(
          9,
          "Unable to install " + archive + " using rpm.",
          "Check to ensure that your system can install .rpm files.");
    }
  }
}
