package dev.jdkms.core.sign;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;

/**
 * The digests a kernel may name in {@code CONFIG_MODULE_SIG_HASH}, keyed by the OpenSSL name that
 * {@code sign-file} receives as its first argument. SHA-3 is only accepted by kernels from 6.7 on;
 * older kernels reject such signatures when loading, exactly as with {@code sign-file}.
 */
enum SignatureHash {
  SHA1("sha1", "SHA1"),
  SHA224("sha224", "SHA224"),
  SHA256("sha256", "SHA256"),
  SHA384("sha384", "SHA384"),
  SHA512("sha512", "SHA512"),
  SHA3_256("sha3-256", "SHA3-256"),
  SHA3_384("sha3-384", "SHA3-384"),
  SHA3_512("sha3-512", "SHA3-512");

  private final String opensslName;
  private final String bcName;

  SignatureHash(String opensslName, String bcName) {
    this.opensslName = opensslName;
    this.bcName = bcName;
  }

  /**
   * Looks a name up the way OpenSSL's digest lookup does for these algorithms: case-insensitive,
   * with the OpenSSL 3 spelling {@code sha2-256} as an alias.
   */
  static Optional<SignatureHash> byName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT).replaceFirst("^sha2-", "sha");
    return Arrays.stream(values()).filter(h -> h.opensslName.equals(wanted)).findFirst();
  }

  /** The names {@link #byName} accepts, for error messages. */
  static String supportedNames() {
    return Arrays.stream(values()).map(h -> h.opensslName).collect(Collectors.joining(", "));
  }

  /**
   * The digest as OpenSSL names it in a SignerInfo: the OID without parameters. BouncyCastle's
   * default writes an explicit NULL for SHA-1, which would make the output differ from sign-file's.
   */
  AlgorithmIdentifier digestAlgorithm() {
    return new AlgorithmIdentifier(
        new DefaultDigestAlgorithmIdentifierFinder().find(bcName).getAlgorithm());
  }

  /** BouncyCastle's signature algorithm name, e.g. {@code SHA256WITHRSA}. */
  String signatureAlgorithm(String keyAlgorithm) {
    return bcName + "WITH" + keyAlgorithm;
  }

  @Override
  public String toString() {
    return opensslName;
  }
}
