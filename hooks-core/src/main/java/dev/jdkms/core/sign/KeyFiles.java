package dev.jdkms.core.sign;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reads signing keys and certificates in the forms {@code sign-file} accepts. */
final class KeyFiles {
  private KeyFiles() {}

  /**
   * The first private key in a PEM file, PKCS#8 ({@code PRIVATE KEY}) or traditional ({@code RSA
   * PRIVATE KEY}, {@code EC PRIVATE KEY}). Other blocks are skipped, because the kernel's own
   * {@code signing_key.pem} holds the certificate in the same file.
   */
  static AsymmetricKeyParameter readPrivateKey(Path keyFile) throws SigningException {
    if (keyFile.toString().startsWith("pkcs11:")) {
      throw new SigningException(
          "PKCS#11 key "
              + keyFile
              + " needs an external sign tool; the built-in signer reads files");
    }
    try (PEMParser pem = new PEMParser(new StringReader(readText(keyFile, "Key")))) {
      for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
        if (item instanceof PEMKeyPair pair) {
          item = pair.getPrivateKeyInfo();
        }
        if (item instanceof PrivateKeyInfo info) {
          return supported(PrivateKeyFactory.createKey(info), keyFile);
        }
        if (item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair) {
          // sign-file would ask for KBUILD_SIGN_PIN; dkms's generated keys are never encrypted.
          throw new SigningException("Key file " + keyFile + " is encrypted, which is unsupported");
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new SigningException("Cannot read key file " + keyFile + ": " + e.getMessage(), e);
    }
    throw new SigningException("Key file " + keyFile + " contains no PEM private key");
  }

  // The kernel verifies module signatures made with RSA or ECDSA keys only.
  private static AsymmetricKeyParameter supported(AsymmetricKeyParameter key, Path keyFile)
      throws SigningException {
    if (key instanceof RSAKeyParameters || key instanceof ECPrivateKeyParameters) {
      return key;
    }
    throw new SigningException(
        "Key file " + keyFile + " holds a key the kernel cannot check; use RSA or ECDSA");
  }

  /**
   * An X.509 certificate in DER (what dkms writes to {@code mok.pub}) or PEM. Like {@code
   * sign-file}, the format is told by the first byte: DER always starts with a SEQUENCE tag.
   */
  static X509CertificateHolder readCertificate(Path certFile) throws SigningException {
    byte[] bytes = readBytes(certFile, "Certificate");
    try {
      if (bytes.length > 0 && bytes[0] == 0x30) {
        return new X509CertificateHolder(bytes);
      }
      String text = new String(bytes, StandardCharsets.US_ASCII);
      try (PEMParser pem = new PEMParser(new StringReader(text))) {
        for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
          if (item instanceof X509CertificateHolder cert) {
            return cert;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new SigningException("Cannot read certificate " + certFile + ": " + e.getMessage(), e);
    }
    throw new SigningException("Certificate file " + certFile + " contains no certificate");
  }

  /**
   * Fails unless {@code key} belongs to {@code cert}. OpenSSL makes the same check when adding the
   * signer; without it a module would get a signature that no kernel can verify.
   */
  static void checkPair(AsymmetricKeyParameter key, X509CertificateHolder cert, Path keyFile)
      throws SigningException {
    AsymmetricKeyParameter pub;
    try {
      pub = PublicKeyFactory.createKey(cert.getSubjectPublicKeyInfo());
    } catch (IOException | RuntimeException e) {
      throw new SigningException("Unsupported public key in certificate: " + e.getMessage(), e);
    }
    if (!matches(key, pub)) {
      throw new SigningException(
          "Private key " + keyFile + " does not match certificate " + cert.getSubject());
    }
  }

  private static boolean matches(AsymmetricKeyParameter key, AsymmetricKeyParameter pub) {
    if (key instanceof RSAKeyParameters rsa && pub instanceof RSAKeyParameters publicKey) {
      // A CRT key also knows the public exponent; compare it too when it is there.
      return rsa.getModulus().equals(publicKey.getModulus())
          && (!(key instanceof RSAPrivateCrtKeyParameters crt)
              || crt.getPublicExponent().equals(publicKey.getExponent()));
    }
    if (key instanceof ECPrivateKeyParameters ec
        && pub instanceof ECPublicKeyParameters publicKey) {
      // the public point is d·G; equal points on the same curve mean the same key pair
      return ec.getParameters().getCurve().equals(publicKey.getParameters().getCurve())
          && new FixedPointCombMultiplier()
              .multiply(ec.getParameters().getG(), ec.getD())
              .equals(publicKey.getQ());
    }
    return false;
  }

  private static String readText(Path file, String what) throws SigningException {
    return new String(readBytes(file, what), StandardCharsets.US_ASCII);
  }

  private static byte[] readBytes(Path file, String what) throws SigningException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SigningException(what + " file " + file + " not found", e);
    } catch (IOException e) {
      throw new SigningException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
