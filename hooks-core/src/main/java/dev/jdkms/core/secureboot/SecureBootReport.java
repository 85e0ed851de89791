package dev.jdkms.core.secureboot;

import dev.jdkms.core.secureboot.SecureBootState.Mode;
import dev.jdkms.core.sign.MokLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code jdkms secureboot} prints: the firmware's state, the certificate jdkms signs with and
 * whether the firmware trusts it, and the verdict for each installed module, in plain words.
 */
public final class SecureBootReport {
  private final SecureBootState state;
  private final String kernel;
  private final List<String> out = new ArrayList<>();

  private SecureBootReport(SecureBootState state, String kernel) {
    this.state = state;
    this.kernel = kernel;
  }

  /**
   * The report's lines.
   *
   * @param certificate the certificate builds sign with
   * @param verdicts the modules installed for {@code kernel}, the running kernel
   */
  public static List<String> lines(
      SecureBootState state, Path certificate, String kernel, List<ModuleVerdict> verdicts) {
    SecureBootReport r = new SecureBootReport(state, kernel);
    r.firmware();
    r.certificate(certificate);
    r.modules(verdicts);
    r.problems();
    return List.copyOf(r.out);
  }

  private void firmware() {
    out.add("Secure Boot: " + mode());
    if (state.mode() == Mode.ON && state.validationDisabled()) {
      out.add("  shim's validation is disabled (mokutil --disable-validation was used)");
    }
    String lockdown = state.lockdown().isEmpty() ? "" : " (lockdown: " + state.lockdown() + ")";
    out.add(
        "Kernel "
            + kernel
            + lockdown
            + (state.enforced()
                ? ": loads only modules signed by a key it trusts"
                : ": loads unsigned modules too (they taint it)"));
  }

  private String mode() {
    return switch (state.mode()) {
      case ON -> "on";
      case OFF -> "off";
      case SETUP_MODE -> "off (setup mode: no platform key is enrolled)";
      case NOT_EFI -> "off (not an EFI system)";
      case UNKNOWN -> "unknown (the EFI variables cannot be read)";
    };
  }

  private void certificate(Path file) {
    out.add("");
    out.add("Signing certificate: " + file);
    KeyCertificate cert;
    try {
      cert = KeyCertificate.read(file);
    } catch (SecureBootException e) {
      out.add("  not readable: " + e.getMessage());
      out.add("  (dkms creates it at the first build that signs modules, or: dkms generate_mok)");
      return;
    }
    out.add("  subject: " + cert.subject());
    out.add("  SHA-1:   " + cert.sha1());
    out.add("  SHA-256: " + cert.sha256());
    if (state.mode() == Mode.NOT_EFI) {
      return;
    }
    Optional<TrustedKey> where = state.find(cert);
    if (where.isEmpty()) {
      out.add("  enrolled: no. Modules signed with it load under Secure Boot once you run");
      out.add("    mokutil --import " + file);
      out.add("  choose a one-time password and reboot; in the blue MokManager screen choose");
      out.add("  \"Enroll MOK\", \"Continue\", \"Yes\", and type that password.");
      shimHint(file);
    } else if (where.get().source().equals("MokNew")) {
      out.add("  enrolled: pending. At the next boot MokManager asks to enrol it: choose");
      out.add("  \"Enroll MOK\" and type the password given to mokutil --import.");
    } else if (where.get().source().equals("db")) {
      out.add("  enrolled: in db only: " + ModuleVerdicts.DB_ONLY);
      out.add("  (mokutil --import " + file + " makes it a MOK as well)");
    } else {
      out.add("  enrolled: yes, in " + where.get().source());
    }
  }

  /** Debian's instructions enrol /var/lib/shim-signed/mok/MOK.der: say when that one is trusted. */
  private void shimHint(Path file) {
    Path shim = Path.of(MokLocation.SHIM_CERTIFICATE);
    if (file.equals(shim)) {
      return;
    }
    try {
      if (state.find(KeyCertificate.read(shim)).isPresent()) {
        out.add("  " + shim + " is enrolled: to sign with it, set in /etc/dkms/framework.conf");
        out.add("    mok_signing_key=" + MokLocation.SHIM_KEY);
        out.add("    mok_certificate=" + MokLocation.SHIM_CERTIFICATE);
      }
    } catch (SecureBootException e) {
      // no such pair: nothing to suggest
    }
  }

  private void modules(List<ModuleVerdict> verdicts) {
    out.add("");
    if (verdicts.isEmpty()) {
      out.add("No DKMS modules are installed for " + kernel + ".");
      return;
    }
    out.add("DKMS modules installed for " + kernel + ":");
    for (ModuleVerdict v : verdicts) {
      out.add(
          "  "
              + v.module()
              + "/"
              + v.version()
              + " "
              + v.file().getFileName()
              + ": "
              + v.status().words()
              + ": "
              + v.reason());
    }
  }

  private void problems() {
    if (state.problems().isEmpty()) {
      return;
    }
    out.add("");
    out.add("Not readable:");
    for (String p : state.problems()) {
      out.add("  " + p);
    }
  }
}
