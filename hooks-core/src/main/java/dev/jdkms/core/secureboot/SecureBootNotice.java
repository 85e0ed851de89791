package dev.jdkms.core.secureboot;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.secureboot.SecureBootState.Mode;
import dev.jdkms.core.sign.SigningPlan;
import java.nio.file.Path;
import java.util.List;

/**
 * The one notice a build gives when it signed modules with a certificate the firmware does not
 * trust while Secure Boot is on: upstream dkms signs and says nothing, and users find out at boot
 * ("Key was rejected by service"). Printed at most once per run (one instance per session, shared
 * by its parallel builds), on lines of its own after upstream's, and never when Secure Boot is off,
 * not readable, or the certificate is enrolled or waiting for enrolment.
 */
public final class SecureBootNotice {
  private final Path sys;
  private boolean told;

  /** {@code sys}: the sysfs to read, {@code /sys} on the host. */
  public SecureBootNotice(Path sys) {
    this.sys = sys;
  }

  /** After modules were signed by {@code signing}: the notice, the first time it applies. */
  public synchronized void afterSigning(SigningPlan signing, Console console) {
    if (told || signing == null || !signing.enabled() || signing.certificate() == null) {
      return;
    }
    SecureBootState state = SecureBootProbe.read(sys);
    if (state.mode() != Mode.ON || !state.enforced()) {
      return;
    }
    KeyCertificate certificate;
    try {
      certificate = KeyCertificate.read(signing.certificate());
    } catch (SecureBootException e) {
      return; // signing itself reported the unreadable certificate
    }
    if (state.find(certificate).isPresent()) {
      return;
    }
    told = true;
    console.lines(lines(signing.certificate(), certificate).toArray(new String[0]));
  }

  static List<String> lines(Path file, KeyCertificate certificate) {
    return List.of(
        "",
        "Secure Boot is on, and the modules were signed with " + file + ",",
        "a certificate this machine's firmware does not trust yet (SHA-1 "
            + certificate.sha1()
            + ").",
        "They will not load until it is enrolled. To enrol it, run",
        "    mokutil --import " + file,
        "and choose a one-time password. At the next boot, a blue MokManager screen appears:",
        "choose \"Enroll MOK\", \"Continue\", \"Yes\", type that password, and reboot.",
        "`jdkms secureboot` shows the state and which modules will load.");
  }
}
