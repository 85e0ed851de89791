package dev.jdkms.core.sign;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Which key pair modules are signed with, from {@code mok_signing_key} and {@code mok_certificate}
 * (framework.conf or the environment; empty when unset).
 *
 * <p>Upstream's default on Debian is {@code /var/lib/dkms/mok.key} and {@code mok.pub}, generated
 * when missing. Debian's Secure Boot instructions (and Ubuntu's {@code update-secureboot-policy})
 * keep a Machine Owner Key in {@code /var/lib/shim-signed/mok/MOK.priv} and {@code MOK.der}, and
 * users enrol that one. When nothing is configured, dkms's own pair does not exist yet and that
 * pair does, jdkms signs with it instead of generating a second key that the firmware does not
 * trust: otherwise the modules would not load under Secure Boot until yet another enrolment. An
 * existing dkms pair is kept, since it may be the enrolled one.
 */
public record MokLocation(String key, String certificate) {
  public static final String DKMS_KEY = "/var/lib/dkms/mok.key";
  public static final String DKMS_CERTIFICATE = "/var/lib/dkms/mok.pub";
  public static final String SHIM_KEY = "/var/lib/shim-signed/mok/MOK.priv";
  public static final String SHIM_CERTIFICATE = "/var/lib/shim-signed/mok/MOK.der";

  /**
   * The pair to sign with.
   *
   * @param key {@code mok_signing_key}, "" when unset
   * @param certificate {@code mok_certificate}, "" when unset
   * @param isFile tells whether a path is an existing file (tests pass their own)
   */
  public static MokLocation resolve(String key, String certificate, Predicate<Path> isFile) {
    return resolve(key, certificate, Path.of(DKMS_KEY), Path.of(DKMS_CERTIFICATE), isFile);
  }

  /**
   * The pair to sign with, upstream's default pair being {@code dkmsKey} and {@code
   * dkmsCertificate} (the session's host: its dkms tree's {@code mok.key} and {@code mok.pub}).
   */
  public static MokLocation resolve(
      String key, String certificate, Path dkmsKey, Path dkmsCertificate, Predicate<Path> isFile) {
    if (key.isEmpty()
        && certificate.isEmpty()
        && !(isFile.test(dkmsKey) && isFile.test(dkmsCertificate))
        && isFile.test(Path.of(SHIM_KEY))
        && isFile.test(Path.of(SHIM_CERTIFICATE))) {
      return new MokLocation(SHIM_KEY, SHIM_CERTIFICATE);
    }
    return new MokLocation(
        key.isEmpty() ? dkmsKey.toString() : key,
        certificate.isEmpty() ? dkmsCertificate.toString() : certificate);
  }
}
