package dev.jdkms.core.sign;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcRSAContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Creates the Machine Owner Key dkms signs modules with when none exists. Upstream runs {@code
 * openssl req -new -x509 -nodes -days 36500 -subj "/CN=DKMS module signing key" -newkey rsa:2048
 * -keyout KEY -addext "extendedKeyUsage=codeSigning" -outform DER -out CERT}; this writes the same
 * kind of files: an unencrypted PKCS#8 PEM key (mode 0600) and a self-signed DER certificate with
 * the extensions OpenSSL 3's default {@code v3_ca} section adds, plus code signing.
 */
public final class MokGenerator {
  static final String SUBJECT = "DKMS module signing key";
  static final Duration VALIDITY = Duration.ofDays(36500);

  private static final int KEY_BITS = 2048;
  private static final BigInteger PUBLIC_EXPONENT = BigInteger.valueOf(65537);
  // Miller-Rabin certainty matching RSA-2048's 112-bit security strength, as BC's JCA provider
  // uses.
  private static final int PRIME_CERTAINTY = 112;
  // OpenSSL draws 159 random bits for a serial: 20 bytes with the top bit clear, always positive.
  private static final int SERIAL_BITS = 159;

  private static final Set<PosixFilePermission> KEY_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> CERT_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private MokGenerator() {}

  /**
   * Generates a new key pair and certificate, replacing existing files. The directories must exist:
   * like {@code openssl}, this does not create them, so dkms reports the key as not generated.
   *
   * @throws SigningException if a directory is missing or a file cannot be written
   */
  public static void generate(Path keyFile, Path certFile) throws SigningException {
    requireDirectoryOf(keyFile, "Key");
    requireDirectoryOf(certFile, "Certificate");
    SecureRandom random = new SecureRandom();
    AsymmetricCipherKeyPair keyPair = generateKeyPair(random);
    byte[] keyPem;
    byte[] certDer;
    try {
      keyPem = pkcs8Pem(keyPair);
      certDer = selfSignedCertificate(keyPair, random, Instant.now()).getEncoded();
    } catch (IOException | OperatorCreationException e) {
      throw new SigningException("Cannot create signing certificate: " + e.getMessage(), e);
    }
    // Both files are complete on disk before either replaces an old one, so only a crash between
    // the two renames could pair a new key with an old certificate.
    try (AtomicFile key = AtomicFile.beside(keyFile);
        AtomicFile cert = AtomicFile.beside(certFile)) {
      key.append(keyPem);
      cert.append(certDer);
      key.commit(KEY_MODE);
      cert.commit(CERT_MODE);
    } catch (IOException e) {
      throw new SigningException("Cannot write " + keyFile + " or " + certFile + ": " + e, e);
    }
  }

  private static void requireDirectoryOf(Path file, String what) throws SigningException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new SigningException(what + " directory " + dir + " does not exist");
    }
  }

  private static AsymmetricCipherKeyPair generateKeyPair(SecureRandom random) {
    RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
    generator.init(
        new RSAKeyGenerationParameters(PUBLIC_EXPONENT, random, KEY_BITS, PRIME_CERTAINTY));
    return generator.generateKeyPair();
  }

  /** The key as OpenSSL 3 writes it: {@code -----BEGIN PRIVATE KEY-----}, 64-column base64. */
  private static byte[] pkcs8Pem(AsymmetricCipherKeyPair keyPair) throws IOException {
    StringWriter text = new StringWriter();
    try (PemWriter pem = new PemWriter(text)) {
      pem.writeObject(
          new PemObject(
              "PRIVATE KEY",
              PrivateKeyInfoFactory.createPrivateKeyInfo(keyPair.getPrivate()).getEncoded()));
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static X509CertificateHolder selfSignedCertificate(
      AsymmetricCipherKeyPair keyPair, SecureRandom random, Instant now)
      throws IOException, OperatorCreationException {
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, SUBJECT).build();
    // Certificates carry whole seconds; truncating keeps notAfter exactly 36500 days later.
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
    SubjectPublicKeyInfo publicKey =
        SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic());
    BcX509ExtensionUtils extensions = new BcX509ExtensionUtils(); // SHA-1 key ids, like OpenSSL
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
                name,
                serial(random),
                Date.from(notBefore),
                Date.from(notBefore.plus(VALIDITY)),
                name,
                publicKey)
            // the order and criticality of OpenSSL 3's v3_ca section, then the -addext extension
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(publicKey))
            .addExtension(
                Extension.authorityKeyIdentifier,
                false,
                extensions.createAuthorityKeyIdentifier(publicKey))
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    AlgorithmIdentifier signatureAlgorithm =
        new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256WITHRSA");
    AlgorithmIdentifier digestAlgorithm =
        new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
    return builder.build(
        new BcRSAContentSignerBuilder(signatureAlgorithm, digestAlgorithm)
            .build(keyPair.getPrivate()));
  }

  private static BigInteger serial(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(SERIAL_BITS, random);
    } while (serial.signum() == 0); // RFC 5280 wants a positive serial
    return serial;
  }
}
