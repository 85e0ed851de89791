package dev.jdkms.core.secureboot;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Who signed a module, as its PKCS#7 blob names the key: issuer and serial number ({@code
 * sign-file}'s default, and jdkms's signer), or a subject key identifier ({@code sign-file -k}).
 * The kernel looks the key up by exactly these.
 *
 * @param issuer DER of the issuer name (empty with a subject key identifier)
 * @param serial the serial number (zero with a subject key identifier)
 * @param subjectKeyId present when the signature names the key that way
 * @param issuerName the issuer for people, e.g. {@code CN=DKMS module signing key}
 */
public record SignerId(
    byte[] issuer, BigInteger serial, Optional<byte[]> subjectKeyId, String issuerName) {

  /**
   * The signer of the first SignerInfo, the one the kernel checks.
   *
   * @throws SecureBootException when the blob is not a PKCS#7 SignedData with a signer
   */
  public static SignerId ofPkcs7(byte[] pkcs7) throws SecureBootException {
    try {
      ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(pkcs7));
      SignedData data = SignedData.getInstance(info.getContent());
      if (data.getSignerInfos().size() == 0) {
        throw new SecureBootException("module signature: no signer");
      }
      SignerIdentifier sid = SignerInfo.getInstance(data.getSignerInfos().getObjectAt(0)).getSID();
      ASN1Encodable id = sid.getId();
      if (sid.isTagged()) {
        byte[] skid = ASN1OctetString.getInstance(id).getOctets();
        return new SignerId(new byte[0], BigInteger.ZERO, Optional.of(skid), "");
      }
      IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(id);
      X500Name issuer = ias.getName();
      return new SignerId(
          issuer.getEncoded(),
          ias.getSerialNumber().getValue(),
          Optional.empty(),
          issuer.toString());
    } catch (IOException | RuntimeException e) {
      // crafted DER makes BouncyCastle throw IllegalArgumentException, ClassCastException etc.
      throw new SecureBootException("module signature: not a readable PKCS#7 signature", e);
    }
  }

  /** How people see the key: issuer and serial, or the key identifier. */
  public String describe() {
    return subjectKeyId
        .map(k -> "key id " + KeyCertificate.colons(k))
        .orElse(issuerName + ", serial " + KeyCertificate.colons(unsigned(serial)));
  }

  // BigInteger adds a sign byte that is not part of the serial number people compare.
  private static byte[] unsigned(BigInteger value) {
    byte[] b = value.toByteArray();
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }
}
