package dev.jdkms.core.sign;

import java.nio.file.Path;

/**
 * The certificate serial as modinfo prints {@code sig_key}: uppercase hex bytes, colon-separated.
 */
final class Serials {
  private Serials() {}

  /** Asks openssl for the serial ({@code serial=7FEE...}) and formats it the modinfo way. */
  static String modinfoStyle(Path derCertificate) {
    String hex =
        Commands.run(
                derCertificate.getParent(),
                "openssl",
                "x509",
                "-inform",
                "DER",
                "-noout",
                "-serial",
                "-in",
                derCertificate.toString())
            .strip()
            .replaceFirst("^serial=", "");
    return String.join(":", hex.split("(?<=\\G..)"));
  }
}
