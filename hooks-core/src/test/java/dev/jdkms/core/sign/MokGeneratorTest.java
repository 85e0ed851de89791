package dev.jdkms.core.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcRSAContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MokGeneratorTest {
  @TempDir Path dir;

  @Test
  void writesAnUnencryptedPkcs8KeyOnlyRootCanRead() throws Exception {
    Path key = dir.resolve("mok.key");

    MokGenerator.generate(key, dir.resolve("mok.pub"));

    assertThat(Files.readString(key))
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Commands.run(dir, "openssl", "pkey", "-check", "-noout", "-in", key.toString()))
        .contains("Key is valid");
    assertThat(Commands.run(dir, "openssl", "rsa", "-text", "-noout", "-in", key.toString()))
        .contains("Private-Key: (2048 bit, 2 primes)")
        .contains("publicExponent: 65537");
  }

  @Test
  void writesADerCertificateOpensslReads() throws Exception {
    Path key = dir.resolve("mok.key");
    Path cert = dir.resolve("mok.pub");

    MokGenerator.generate(key, cert);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)))
        .isEqualTo("rw-r--r--");
    String text = x509(cert, "-text");
    assertThat(text)
        .contains("Version: 3 (0x2)")
        .contains("Signature Algorithm: sha256WithRSAEncryption")
        .contains("Issuer: CN = DKMS module signing key")
        .contains("Subject: CN = DKMS module signing key")
        .contains("Public-Key: (2048 bit)")
        .contains("X509v3 Subject Key Identifier")
        .contains("X509v3 Authority Key Identifier")
        .contains("X509v3 Basic Constraints: critical\n                CA:TRUE")
        .contains("X509v3 Extended Key Usage: \n                Code Signing");
    // the certificate belongs to the key
    assertThat(x509(cert, "-modulus"))
        .isEqualTo(
            Commands.run(dir, "openssl", "rsa", "-modulus", "-noout", "-in", key.toString()));
  }

  @Test
  void certificateMatchesWhatOpensslReqMakesForTheSameKey() throws Exception {
    Path key = dir.resolve("mok.key");
    Path cert = dir.resolve("mok.pub");
    MokGenerator.generate(key, cert);
    Path reference = dir.resolve("reference.der");
    // upstream's command, given our key instead of -newkey so the key-derived parts are comparable
    Commands.run(
        dir,
        "openssl",
        "req",
        "-new",
        "-x509",
        "-nodes",
        "-days",
        "36500",
        "-subj",
        "/CN=DKMS module signing key",
        "-key",
        key.toString(),
        "-addext",
        "extendedKeyUsage=codeSigning",
        "-outform",
        "DER",
        "-out",
        reference.toString());

    X509CertificateHolder ours = new X509CertificateHolder(Files.readAllBytes(cert));
    X509CertificateHolder theirs = new X509CertificateHolder(Files.readAllBytes(reference));

    assertThat(ours.getVersionNumber()).isEqualTo(theirs.getVersionNumber());
    assertThat(ours.getSubject().getEncoded()).isEqualTo(theirs.getSubject().getEncoded());
    assertThat(ours.getIssuer().getEncoded()).isEqualTo(theirs.getIssuer().getEncoded());
    assertThat(ours.getSubjectPublicKeyInfo()).isEqualTo(theirs.getSubjectPublicKeyInfo());
    assertThat(ours.getSignatureAlgorithm()).isEqualTo(theirs.getSignatureAlgorithm());
    assertThat(ours.getExtensions().getEncoded()).isEqualTo(theirs.getExtensions().getEncoded());
    assertThat(validity(ours)).isEqualTo(validity(theirs)).isEqualTo(Duration.ofDays(36500));
    assertThat(ours.getExtension(Extension.basicConstraints).isCritical()).isTrue();
    assertThat(
            ours.isSignatureValid(
                new BcRSAContentVerifierProviderBuilder(
                        new DefaultDigestAlgorithmIdentifierFinder())
                    .build(ours)))
        .isTrue();
  }

  @Test
  void serialIsPositiveAndAtMostTwentyBytesLikeOpenssl() throws Exception {
    MokGenerator.generate(dir.resolve("a.key"), dir.resolve("a.pub"));
    MokGenerator.generate(dir.resolve("b.key"), dir.resolve("b.pub"));

    BigInteger a =
        new X509CertificateHolder(Files.readAllBytes(dir.resolve("a.pub"))).getSerialNumber();
    BigInteger b =
        new X509CertificateHolder(Files.readAllBytes(dir.resolve("b.pub"))).getSerialNumber();

    assertThat(a.signum()).isPositive();
    assertThat(a.bitLength()).isLessThanOrEqualTo(159);
    assertThat(a).isNotEqualTo(b);
    assertThat(Files.readString(dir.resolve("a.key")))
        .isNotEqualTo(Files.readString(dir.resolve("b.key")));
  }

  @Test
  void replacesExistingFilesAndLeavesNoTemporaryFiles() throws Exception {
    Path key = Files.writeString(dir.resolve("mok.key"), "old key");
    Path cert = Files.writeString(dir.resolve("mok.pub"), "old cert");

    MokGenerator.generate(key, cert);

    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readAllBytes(cert)[0]).isEqualTo((byte) 0x30);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactlyInAnyOrder(key, cert);
    }
  }

  @Test
  void aMissingDirectoryIsAnErrorNotCreated() {
    Path missing = dir.resolve("no-such-dir");

    assertThatThrownBy(
            () -> MokGenerator.generate(missing.resolve("mok.key"), dir.resolve("mok.pub")))
        .isInstanceOf(SigningException.class)
        .hasMessage("Key directory " + missing + " does not exist");
    assertThatThrownBy(
            () -> MokGenerator.generate(dir.resolve("mok.key"), missing.resolve("mok.pub")))
        .isInstanceOf(SigningException.class)
        .hasMessage("Certificate directory " + missing + " does not exist");
    assertThat(missing).doesNotExist();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void theKernelsSignFileSignsAModuleWithTheGeneratedPair() throws Exception {
    Path module = HelloModule.build(Files.createDirectory(dir.resolve("module")));
    Path key = dir.resolve("mok.key");
    Path cert = dir.resolve("mok.pub");
    MokGenerator.generate(key, cert);

    Commands.signFile(module, "sha256", key, cert);

    assertThat(Commands.modinfo(module, "signer")).isEqualTo("DKMS module signing key");
    assertThat(Commands.modinfo(module, "sig_id")).isEqualTo("PKCS#7");
    assertThat(Commands.modinfo(module, "sig_key")).isEqualTo(Serials.modinfoStyle(cert));
  }

  private String x509(Path cert, String option) {
    return Commands.run(
        dir, "openssl", "x509", "-inform", "DER", "-noout", option, "-in", cert.toString());
  }

  private static Duration validity(X509CertificateHolder cert) {
    return Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
  }
}
