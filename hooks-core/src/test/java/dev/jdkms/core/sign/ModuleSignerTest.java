package dev.jdkms.core.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the built-in signer with the kernel's own {@code sign-file} on a real module: same key,
 * same certificate, same bytes out.
 */
class ModuleSignerTest {
  @TempDir static Path shared;
  static Path unsigned;
  // the MOK exactly as upstream dkms creates it, with openssl
  static Path key;
  static Path cert;
  static Path certPem;

  @TempDir Path dir;

  @BeforeAll
  static void buildModuleAndKey() throws IOException {
    unsigned = HelloModule.build(Files.createDirectory(shared.resolve("hello")));
    key = shared.resolve("mok.key");
    cert = shared.resolve("mok.pub");
    certPem = shared.resolve("mok.pem");
    Commands.run(
        shared,
        "openssl",
        "req",
        "-new",
        "-x509",
        "-nodes",
        "-days",
        "36500",
        "-subj",
        "/CN=DKMS module signing key",
        "-newkey",
        "rsa:2048",
        "-keyout",
        key.toString(),
        "-addext",
        "extendedKeyUsage=codeSigning",
        "-outform",
        "DER",
        "-out",
        cert.toString());
    Commands.run(
        shared,
        "openssl",
        "x509",
        "-inform",
        "DER",
        "-in",
        cert.toString(),
        "-out",
        certPem.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha1", "sha224", "sha256", "sha384", "sha512", "sha3-256"})
  void producesTheSameBytesAsSignFile(String hash) throws Exception {
    Path ours = copy("ours.ko");
    Path theirs = copy("theirs.ko");

    ModuleSigner.sign(ours, hash, key, cert);
    Commands.signFile(theirs, hash, key, cert);

    assertThat(ours).hasSameBinaryContentAs(theirs);
    for (String field : new String[] {"signer", "sig_key", "sig_hashalgo", "sig_id"}) {
      assertThat(Commands.modinfo(ours, field))
          .as(field)
          .isEqualTo(Commands.modinfo(theirs, field));
    }
    assertOpensslVerifies(ours, certPem);
  }

  @Test
  void modinfoShowsTheSignerTheSerialAndTheHash() throws Exception {
    Path module = copy("hello.ko");

    ModuleSigner.sign(module, "sha512", key, cert);

    assertThat(Commands.modinfo(module, "signer")).isEqualTo("DKMS module signing key");
    assertThat(Commands.modinfo(module, "sig_key")).isEqualTo(Serials.modinfoStyle(cert));
    assertThat(Commands.modinfo(module, "sig_hashalgo")).isEqualTo("sha512");
    assertThat(Commands.modinfo(module, "sig_id")).isEqualTo("PKCS#7");
  }

  @Test
  void appendsExactlyOneWellFormedTrailer() throws Exception {
    Path module = copy("hello.ko");

    ModuleSigner.sign(module, "sha256", key, cert);

    ModuleSignature signature = ModuleSignature.read(module).orElseThrow();
    assertThat(signature.isWellFormed()).isTrue();
    assertThat(signature.idType()).isEqualTo(ModuleSignature.PKEY_ID_PKCS7);
    assertThat(signature.contentLength()).isEqualTo(Files.size(unsigned));
    assertThat(Files.size(module))
        .isEqualTo(Files.size(unsigned) + signature.signatureLength() + 40);
    byte[] body = Arrays.copyOf(Files.readAllBytes(module), (int) Files.size(unsigned));
    assertThat(body).isEqualTo(Files.readAllBytes(unsigned));
  }

  @Test
  void keysFromMokGeneratorSignLikeSignFile() throws Exception {
    Path mokKey = dir.resolve("generated.key");
    Path mokCert = dir.resolve("generated.pub");
    MokGenerator.generate(mokKey, mokCert);
    Path ours = copy("ours.ko");
    Path theirs = copy("theirs.ko");

    ModuleSigner.sign(ours, "sha256", mokKey, mokCert);
    Commands.signFile(theirs, "sha256", mokKey, mokCert);

    assertThat(ours).hasSameBinaryContentAs(theirs);
    assertThat(Commands.modinfo(ours, "sig_key")).isEqualTo(Serials.modinfoStyle(mokCert));
  }

  @Test
  void acceptsTraditionalRsaKeysAndPemCertificates() throws Exception {
    Path pkcs1 = dir.resolve("pkcs1.key");
    Commands.run(
        dir, "openssl", "rsa", "-in", key.toString(), "-traditional", "-out", pkcs1.toString());
    assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    Path ours = copy("ours.ko");
    Path theirs = copy("theirs.ko");

    ModuleSigner.sign(ours, "sha256", pkcs1, certPem);
    Commands.signFile(theirs, "sha256", key, cert);

    assertThat(ours).hasSameBinaryContentAs(theirs);
  }

  @Test
  void acceptsAKeyFileThatAlsoHoldsTheCertificateLikeTheKernelsSigningKeyPem() throws Exception {
    // certs/signing_key.pem of a kernel build: private key and certificate in one PEM file
    Path combined = dir.resolve("signing_key.pem");
    Files.writeString(combined, Files.readString(certPem) + Files.readString(key));
    Path ours = copy("ours.ko");
    Path theirs = copy("theirs.ko");

    ModuleSigner.sign(ours, "sha256", combined, combined);
    Commands.signFile(theirs, "sha256", combined, combined);

    assertThat(ours).hasSameBinaryContentAs(theirs);
  }

  @Test
  void signsWithEcdsaKeysAsSignFileDoes() throws Exception {
    Path ecKey = dir.resolve("ec.key");
    Path ecCert = dir.resolve("ec.der");
    // traditional form with a leading EC PARAMETERS block, as `openssl ecparam -genkey` writes it
    Commands.run(
        dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", ecKey.toString());
    assertThat(Files.readString(ecKey))
        .startsWith("-----BEGIN EC PARAMETERS-----")
        .contains("-----BEGIN EC PRIVATE KEY-----");
    Commands.run(
        dir,
        "openssl",
        "req",
        "-new",
        "-x509",
        "-days",
        "1",
        "-subj",
        "/CN=EC signer",
        "-key",
        ecKey.toString(),
        "-outform",
        "DER",
        "-out",
        ecCert.toString());
    Path ecCertPem = dir.resolve("ec.pem");
    Commands.run(
        dir,
        "openssl",
        "x509",
        "-inform",
        "DER",
        "-in",
        ecCert.toString(),
        "-out",
        ecCertPem.toString());
    Path ours = copy("ours.ko");
    Path theirs = copy("theirs.ko");

    ModuleSigner.sign(ours, "sha256", ecKey, ecCert);
    Commands.signFile(theirs, "sha256", ecKey, ecCert);

    // ECDSA signatures are randomised, so compare what modinfo and openssl see, not bytes
    for (String field : new String[] {"signer", "sig_key", "sig_hashalgo", "sig_id"}) {
      assertThat(Commands.modinfo(ours, field))
          .as(field)
          .isEqualTo(Commands.modinfo(theirs, field));
    }
    assertThat(Commands.modinfo(ours, "signer")).isEqualTo("EC signer");
    assertOpensslVerifies(ours, ecCertPem);
    assertOpensslVerifies(theirs, ecCertPem);
    String ourAsn1 = asn1WithoutSignatureValue(ours);
    assertThat(ourAsn1).contains("ecdsa-with-SHA256").doesNotContain("rsaEncryption");
    assertThat(ourAsn1).isEqualTo(asn1WithoutSignatureValue(theirs));
  }

  @Test
  void signingTwiceAppendsASecondSignatureLikeSignFile() throws Exception {
    Path ours = copy("ours.ko");
    Path theirs = copy("theirs.ko");

    ModuleSigner.sign(ours, "sha256", key, cert);
    ModuleSigner.sign(ours, "sha512", key, cert);
    Commands.signFile(theirs, "sha256", key, cert);
    Commands.signFile(theirs, "sha512", key, cert);

    assertThat(ours).hasSameBinaryContentAs(theirs);
    assertThat(Commands.modinfo(ours, "sig_hashalgo")).isEqualTo("sha512");
  }

  @Test
  void keepsTheModulesPermissionsAndLeavesNoTemporaryFiles() throws Exception {
    Path module = copy("hello.ko");
    Files.setPosixFilePermissions(module, PosixFilePermissions.fromString("rw-r-----"));

    ModuleSigner.sign(module, "sha256", key, cert);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(module)))
        .isEqualTo("rw-r-----");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(module);
    }
  }

  @Test
  void rejectsAnUnknownHashWithoutTouchingTheModule() throws Exception {
    Path module = copy("hello.ko");

    assertThatThrownBy(() -> ModuleSigner.sign(module, "md5", key, cert))
        .isInstanceOf(SigningException.class)
        .hasMessageStartingWith("Unsupported hash algorithm 'md5' (supported: sha1, ");
    assertUnchanged(module);
  }

  @Test
  void rejectsAKeyThatDoesNotBelongToTheCertificate() throws Exception {
    Path otherKey = dir.resolve("other.key");
    Commands.run(dir, "openssl", "genpkey", "-algorithm", "RSA", "-out", otherKey.toString());
    Path module = copy("hello.ko");

    assertThatThrownBy(() -> ModuleSigner.sign(module, "sha256", otherKey, cert))
        .isInstanceOf(SigningException.class)
        .hasMessage(
            "Private key " + otherKey + " does not match certificate CN=DKMS module signing key");
    assertUnchanged(module);
  }

  @Test
  void rejectsEncryptedKeysAndKeysTheKernelCannotCheck() throws Exception {
    Path encrypted = dir.resolve("encrypted.key");
    Commands.run(
        dir,
        "openssl",
        "pkey",
        "-in",
        key.toString(),
        "-aes256",
        "-passout",
        "pass:secret",
        "-out",
        encrypted.toString());
    Path ed25519 = dir.resolve("ed25519.key");
    Commands.run(dir, "openssl", "genpkey", "-algorithm", "ed25519", "-out", ed25519.toString());
    Path module = copy("hello.ko");

    assertThatThrownBy(() -> ModuleSigner.sign(module, "sha256", encrypted, cert))
        .isInstanceOf(SigningException.class)
        .hasMessage("Key file " + encrypted + " is encrypted, which is unsupported");
    assertThatThrownBy(() -> ModuleSigner.sign(module, "sha256", ed25519, cert))
        .isInstanceOf(SigningException.class)
        .hasMessage(
            "Key file " + ed25519 + " holds a key the kernel cannot check; use RSA or ECDSA");
    assertUnchanged(module);
  }

  @Test
  void reportsMissingFilesInOneLine() throws Exception {
    Path module = copy("hello.ko");
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> ModuleSigner.sign(module, "sha256", missing, cert))
        .hasMessage("Key file " + missing + " not found");
    assertThatThrownBy(() -> ModuleSigner.sign(module, "sha256", key, missing))
        .hasMessage("Certificate file " + missing + " not found");
    assertThatThrownBy(() -> ModuleSigner.sign(missing, "sha256", key, cert))
        .hasMessage("Module " + missing + " not found");
    assertThatThrownBy(() -> ModuleSigner.sign(module, "sha256", cert, cert))
        .isInstanceOf(SigningException.class)
        .hasMessageNotContaining("\n");
    assertUnchanged(module);
  }

  @Test
  void refusesCompressedModules() throws Exception {
    Path compressed = dir.resolve("hello.ko.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(compressed))) {
      Files.copy(unsigned, out);
    }
    byte[] before = Files.readAllBytes(compressed);

    assertThatThrownBy(() -> ModuleSigner.sign(compressed, "sha256", key, cert))
        .isInstanceOf(SigningException.class)
        .hasMessage(
            "Module " + compressed + " is compressed; it must be signed before compression");
    assertThat(Files.readAllBytes(compressed)).isEqualTo(before);
  }

  private Path copy(String name) throws IOException {
    return Files.copy(unsigned, dir.resolve(name));
  }

  private static void assertUnchanged(Path module) throws IOException {
    assertThat(Files.readAllBytes(module)).isEqualTo(Files.readAllBytes(unsigned));
  }

  /** Splits the module and lets openssl check the detached signature over the module proper. */
  private void assertOpensslVerifies(Path signedModule, Path pemCertificate) throws IOException {
    ModuleSignature signature = ModuleSignature.read(signedModule).orElseThrow();
    byte[] bytes = Files.readAllBytes(signedModule);
    int content = (int) signature.contentLength();
    Path body =
        Files.write(
            dir.resolve(signedModule.getFileName() + ".body"), Arrays.copyOf(bytes, content));
    Path p7 =
        Files.write(
            dir.resolve(signedModule.getFileName() + ".p7s"),
            Arrays.copyOfRange(bytes, content, content + (int) signature.signatureLength()));
    assertThat(
            Commands.run(
                dir,
                "openssl",
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                p7.toString(),
                "-content",
                body.toString(),
                "-noverify",
                "-certfile",
                pemCertificate.toString(),
                "-out",
                "/dev/null"))
        .contains("Verification successful");
    Files.delete(body);
    Files.delete(p7);
  }

  /** The CMS structure as openssl prints it, minus the (random) ECDSA signature value. */
  private String asn1WithoutSignatureValue(Path signedModule) throws IOException {
    ModuleSignature signature = ModuleSignature.read(signedModule).orElseThrow();
    byte[] bytes = Files.readAllBytes(signedModule);
    int content = (int) signature.contentLength();
    Path p7 =
        Files.write(
            dir.resolve(signedModule.getFileName() + ".asn1"),
            Arrays.copyOfRange(bytes, content, content + (int) signature.signatureLength()));
    String dump = Commands.run(dir, "openssl", "asn1parse", "-inform", "DER", "-in", p7.toString());
    Files.delete(p7);
    // drop offsets and lengths (they shift with the signature's size) and the signature itself
    return dump.lines()
        .map(line -> line.replaceFirst("^\\s*\\d+:d=(\\d+)\\s+hl=\\d+ l=\\s*\\d+", "d=$1"))
        .filter(line -> !line.contains("OCTET STRING"))
        .reduce("", (a, b) -> a + b + "\n");
  }
}
