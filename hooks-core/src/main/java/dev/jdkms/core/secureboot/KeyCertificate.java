package dev.jdkms.core.secureboot;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * An X.509 certificate as Secure Boot sees it: its DER bytes (what MokManager compares), the names
 * the kernel matches a module's signer against (issuer and serial, or subject key identifier), and
 * the fingerprints mokutil and openssl show.
 */
public final class KeyCertificate {
  private final byte[] der;
  private final X509CertificateHolder holder;
  private final String subject;
  private final byte[] issuer;

  // BouncyCastle decodes names lazily: crafted ones fail at first use, so they are used here.
  private KeyCertificate(X509CertificateHolder holder) throws IOException {
    this.holder = holder;
    this.der = holder.getEncoded();
    this.subject = holder.getSubject().toString();
    this.issuer = holder.getIssuer().getEncoded();
  }

  /**
   * A DER certificate, e.g. an entry of MokListRT.
   *
   * @throws SecureBootException when the bytes are not a certificate ({@code what} names them)
   */
  public static KeyCertificate parse(byte[] der, String what) throws SecureBootException {
    try {
      return new KeyCertificate(new X509CertificateHolder(der));
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports crafted DER with unchecked exceptions as well as IOExceptions.
      throw new SecureBootException(what + ": not an X.509 certificate", e);
    }
  }

  /**
   * The certificate file jdkms signs with: DER (what dkms writes to {@code mok.pub}, Debian's
   * {@code MOK.der}) or PEM, told apart by the first byte as {@code sign-file} does.
   */
  public static KeyCertificate read(Path file) throws SecureBootException {
    byte[] bytes =
        EfiVariables.readBounded(file, file.toString())
            .orElseThrow(() -> new SecureBootException(file + ": no such file"));
    if (bytes.length > 0 && bytes[0] == 0x30) {
      return parse(bytes, file.toString());
    }
    try (PEMParser pem =
        new PEMParser(new StringReader(new String(bytes, StandardCharsets.US_ASCII)))) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof X509CertificateHolder cert) {
          return new KeyCertificate(cert);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new SecureBootException(file + ": not a PEM certificate", e);
    }
    throw new SecureBootException(file + ": holds no certificate");
  }

  public byte[] der() {
    return der.clone();
  }

  /** The subject as a string, e.g. {@code CN=DKMS module signing key}. */
  public String subject() {
    return subject;
  }

  public BigInteger serial() {
    return holder.getSerialNumber();
  }

  /** The subject key identifier extension's value, if the certificate has one. */
  public Optional<byte[]> subjectKeyId() {
    Extension e = holder.getExtension(Extension.subjectKeyIdentifier);
    if (e == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SubjectKeyIdentifier.getInstance(e.getParsedValue()).getKeyIdentifier());
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  /** Whether a module signature names this certificate as its signer, as the kernel decides. */
  public boolean isSignerOf(SignerId signer) {
    if (signer.subjectKeyId().isPresent()) {
      return subjectKeyId().map(s -> Arrays.equals(s, signer.subjectKeyId().get())).orElse(false);
    }
    return serial().equals(signer.serial()) && Arrays.equals(issuer, signer.issuer());
  }

  /** {@code AB:CD:...}, the form of {@code openssl x509 -fingerprint -sha1}. */
  public String sha1() {
    return fingerprint("SHA-1");
  }

  public String sha256() {
    return fingerprint("SHA-256");
  }

  private String fingerprint(String algorithm) {
    try {
      return colons(MessageDigest.getInstance(algorithm).digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }

  static String colons(byte[] bytes) {
    String hex = HexFormat.of().withUpperCase().formatHex(bytes);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      b.append(i == 0 ? "" : ":").append(hex, i, i + 2);
    }
    return b.toString();
  }

  /** Same DER bytes: how MokManager and the firmware tell certificates apart. */
  public boolean sameAs(KeyCertificate other) {
    return Arrays.equals(der, other.der);
  }

  @Override
  public String toString() {
    return "KeyCertificate[" + subject() + ", SHA-1 " + sha1() + "]";
  }
}
