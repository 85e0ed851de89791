package dev.jdkms.core.sign;

import dev.jdkms.core.compress.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableFile;
import org.bouncycastle.cms.CMSSignatureEncryptionAlgorithmFinder;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.bc.BcRSAContentSignerBuilder;

/**
 * The built-in equivalent of the kernel's {@code scripts/sign-file HASH KEY CERT MODULE}: appends a
 * PKCS#7 signature and the {@link ModuleSignature} trailer to a module, in place.
 *
 * <p>The CMS blob is built with the flags {@code sign-file} passes to OpenSSL: detached content, no
 * signed attributes, no certificates, no S/MIME capabilities, signer named by issuer and serial
 * number. For an RSA key the output is byte-identical to {@code sign-file}'s, since PKCS#1 v1.5
 * signatures are deterministic.
 *
 * <p>Like {@code sign-file}, an already signed module is signed again: the new signature covers the
 * whole file including the old trailer and is appended after it. The kernel and {@code modinfo}
 * only look at the last trailer, so the module still loads; dkms never does this because it signs
 * freshly built (or stripped) modules.
 */
public final class ModuleSigner {
  // Compressed modules would get a signature over the compressed bytes, which no kernel checks
  // against: the kernel verifies the decompressed image. dkms signs before compressing.
  /**
   * The SignerInfo signatureAlgorithm the kernel understands. Its PKCS#7 parser accepts plain
   * {@code rsaEncryption} for RSA (as OpenSSL writes it) but rejects BouncyCastle's default {@code
   * sha256WithRSAEncryption}; ECDSA's {@code ecdsa-with-SHA256} etc. are accepted as they are.
   */
  private static final CMSSignatureEncryptionAlgorithmFinder RSA_ENCRYPTION =
      signatureAlgorithm ->
          new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);

  private static final CMSSignatureEncryptionAlgorithmFinder AS_IS =
      signatureAlgorithm -> signatureAlgorithm;

  private static final Set<PosixFilePermission> DEFAULT_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private ModuleSigner() {}

  /**
   * Signs {@code module} in place, as {@code sign-file hashAlgorithm keyFile certFile module} does.
   * The module is replaced atomically and keeps its permissions; on failure it is left untouched.
   *
   * @param hashAlgorithm OpenSSL digest name from {@code CONFIG_MODULE_SIG_HASH}, e.g. {@code
   *     sha256} or {@code sha512}
   * @param keyFile PEM private key, PKCS#8 or traditional (RSA or EC), unencrypted
   * @param certFile X.509 certificate of that key, DER or PEM
   * @throws SigningException naming the first problem found, in one line
   */
  public static void sign(Path module, String hashAlgorithm, Path keyFile, Path certFile)
      throws SigningException {
    SignatureHash hash =
        SignatureHash.byName(hashAlgorithm)
            .orElseThrow(
                () ->
                    new SigningException(
                        "Unsupported hash algorithm '"
                            + hashAlgorithm
                            + "' (supported: "
                            + SignatureHash.supportedNames()
                            + ")"));
    AsymmetricKeyParameter key = KeyFiles.readPrivateKey(keyFile);
    X509CertificateHolder cert = KeyFiles.readCertificate(certFile);
    KeyFiles.checkPair(key, cert, keyFile);
    boolean rsa = key instanceof RSAKeyParameters; // else EC: KeyFiles admits nothing else
    ContentSigner contentSigner = contentSigner(key, rsa, hash);
    checkModule(module);
    try (AtomicFile signed = AtomicFile.beside(module)) {
      // Sign the copy rather than the original, so the signature always covers exactly the bytes
      // that end up in the file, even if someone rewrites the module meanwhile.
      Files.copy(module, signed.temp(), StandardCopyOption.REPLACE_EXISTING);
      byte[] pkcs7 = pkcs7(signed.temp(), contentSigner, hash, rsa, cert);
      signed.append(pkcs7);
      signed.append(ModuleSignature.trailerFor(pkcs7.length));
      signed.commit(permissionsOf(module));
    } catch (IOException e) {
      throw new SigningException("Cannot write signed module " + module + ": " + e.getMessage(), e);
    }
  }

  private static void checkModule(Path module) throws SigningException {
    byte[] head = new byte[16];
    int read;
    try (var in = Files.newInputStream(module)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (NoSuchFileException e) {
      throw new SigningException("Module " + module + " not found", e);
    } catch (IOException e) {
      throw new SigningException("Cannot read module " + module + ": " + e.getMessage(), e);
    }
    // An ELF file starts with 0x7f 'E' 'L' 'F', which is no compression's magic.
    if (Compression.detect(Arrays.copyOf(head, read)) != Compression.NONE) {
      throw new SigningException(
          "Module " + module + " is compressed; it must be signed before compression");
    }
  }

  private static ContentSigner contentSigner(
      AsymmetricKeyParameter key, boolean rsa, SignatureHash hash) throws SigningException {
    AlgorithmIdentifier signatureAlgorithm =
        new DefaultSignatureAlgorithmIdentifierFinder()
            .find(hash.signatureAlgorithm(rsa ? "RSA" : "ECDSA"));
    AlgorithmIdentifier digestAlgorithm =
        new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
    try {
      return rsa
          ? new BcRSAContentSignerBuilder(signatureAlgorithm, digestAlgorithm).build(key)
          : new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm).build(key);
    } catch (OperatorCreationException | RuntimeException e) {
      throw new SigningException("Cannot sign with " + hash + ": " + e.getMessage(), e);
    }
  }

  /** The DER-encoded detached CMS SignedData over the content of {@code file}. */
  private static byte[] pkcs7(
      Path file,
      ContentSigner contentSigner,
      SignatureHash hash,
      boolean rsa,
      X509CertificateHolder cert)
      throws SigningException, IOException {
    try {
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(
          new SignerInfoGeneratorBuilder(
                  new BcDigestCalculatorProvider(), rsa ? RSA_ENCRYPTION : AS_IS)
              .setDirectSignature(true) // no signed attributes, as sign-file's CMS_NOATTR
              .setContentDigest(hash.digestAlgorithm())
              .build(contentSigner, cert)); // issuerAndSerialNumber
      // no addCertificate(): sign-file passes CMS_NOCERTS, the kernel brings its own keyring
      return generator
          .generate(new CMSProcessableFile(file.toFile()), false)
          .toASN1Structure()
          .getEncoded(ASN1Encoding.DER);
    } catch (CMSException | OperatorCreationException e) {
      throw new SigningException("Cannot create signature: " + e.getMessage(), e);
    }
  }

  private static Set<PosixFilePermission> permissionsOf(Path module) throws IOException {
    return Files.getFileStore(module).supportsFileAttributeView("posix")
        ? Files.getPosixFilePermissions(module)
        : DEFAULT_MODE;
  }
}
