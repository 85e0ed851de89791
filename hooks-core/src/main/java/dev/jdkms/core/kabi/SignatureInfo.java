package dev.jdkms.core.kabi;

import dev.jdkms.core.sign.ModuleSignature;
import java.util.HexFormat;
import java.util.Map;

/**
 * The signature appended to a module, described the way {@code modinfo} shows it: the signer
 * (common name of the certificate issuer), the key id (the certificate serial number, or the
 * subject key identifier for {@code sign-file -k}), and the digest algorithm. Fields that cannot be
 * read from the PKCS#7 blob are empty; {@link #wellFormed()} says whether the kernel's {@code
 * mod_check_sig()} would even accept the trailer.
 *
 * @param signer issuer common name ("" when signed by subject key identifier or unreadable)
 * @param keyId serial number or subject key identifier as colon-separated upper-case hex
 * @param hashAlgorithm e.g. {@code sha256} ("" if unreadable)
 * @param signatureLength size of the PKCS#7 blob
 * @param wellFormed the trailer has the shape the kernel requires (PKCS#7 id type, zero fields)
 */
public record SignatureInfo(
    String signer, String keyId, String hashAlgorithm, long signatureLength, boolean wellFormed) {

  private static final Map<String, String> DIGESTS =
      Map.of(
          "1.3.14.3.2.26", "sha1",
          "2.16.840.1.101.3.4.2.1", "sha256",
          "2.16.840.1.101.3.4.2.2", "sha384",
          "2.16.840.1.101.3.4.2.3", "sha512",
          "2.16.840.1.101.3.4.2.4", "sha224",
          "2.16.840.1.101.3.4.2.8", "sha3-256",
          "2.16.840.1.101.3.4.2.9", "sha3-384",
          "2.16.840.1.101.3.4.2.10", "sha3-512");

  /** Describes the trailer; the PKCS#7 blob is {@code file[contentLength, contentLength+len)}. */
  static SignatureInfo describe(ModuleSignature trailer, byte[] file) {
    String signer = "";
    String keyId = "";
    String hash = "";
    long len = trailer.signatureLength();
    long start = trailer.contentLength();
    if (len > 0 && start > 0 && start + len <= file.length) {
      try {
        Der signerInfo = signerInfo(new Der(file, (int) start, (int) (start + len)));
        Der sid = signerInfo.next(); // issuerAndSerialNumber or [0] subjectKeyIdentifier
        if (sid.tag() == 0x30) {
          Der issuer = sid.child();
          signer = commonName(issuer);
          keyId = hex(issuer.next().content());
        } else if (sid.tag() == 0x80 || sid.tag() == 0xa0) {
          Der skid = sid.tag() == 0xa0 ? sid.child() : sid;
          keyId = hex(skid.content());
        }
        hash = DIGESTS.getOrDefault(sid.next().child().oid(), "");
      } catch (Der.Malformed e) {
        // a blob we cannot read: describe what the trailer says, leave the rest empty
      }
    }
    return new SignatureInfo(signer, keyId, hash, len, trailer.isWellFormed());
  }

  /** ContentInfo → [0] SignedData → signerInfos (last SET) → first SignerInfo → after version. */
  private static Der signerInfo(Der contentInfo) throws Der.Malformed {
    Der signedData = contentInfo.child().next().child().child(); // version INTEGER
    Der last = signedData;
    for (Der d = signedData; d != null; d = d.nextOrNull()) {
      last = d;
    }
    if (last.tag() != 0x31) {
      throw new Der.Malformed();
    }
    return last.child().child(); // SignerInfo.version
  }

  private static String commonName(Der name) throws Der.Malformed {
    for (Der rdn = name.child(); rdn != null; rdn = rdn.nextOrNull()) {
      for (Der atv = rdn.child(); atv != null; atv = atv.nextOrNull()) {
        Der type = atv.child();
        if ("2.5.4.3".equals(type.oid())) {
          return new String(type.next().content(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    return "";
  }

  private static String hex(byte[] bytes) {
    int from = 0;
    while (from < bytes.length - 1 && bytes[from] == 0) {
      from++; // an INTEGER's sign byte is not part of the serial number modinfo prints
    }
    String h = HexFormat.of().withUpperCase().formatHex(bytes, from, bytes.length);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < h.length(); i += 2) {
      if (i > 0) {
        b.append(':');
      }
      b.append(h, i, i + 2);
    }
    return b.toString();
  }

  /** A minimal, bounds-checked DER walker: just enough to find the signer of a PKCS#7 blob. */
  static final class Der {
    static final class Malformed extends Exception {
      private static final long serialVersionUID = 1L;
    }

    private final byte[] b;
    private final int start;
    private final int limit;
    private final int tag;
    private final int contentStart;
    private final int end;

    /** The element at {@code start}, which must end at or before {@code limit}. */
    Der(byte[] b, int start, int limit) throws Malformed {
      if (start < 0 || start + 2 > limit || limit > b.length) {
        throw new Malformed();
      }
      this.b = b;
      this.start = start;
      this.limit = limit;
      this.tag = b[start] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        throw new Malformed(); // high tag numbers do not occur in PKCS#7
      }
      int l = b[start + 1] & 0xff;
      int p = start + 2;
      long length;
      if (l < 0x80) {
        length = l;
      } else {
        int n = l & 0x7f;
        if (n == 0 || n > 4 || p + n > limit) {
          throw new Malformed();
        }
        length = 0;
        for (int i = 0; i < n; i++) {
          length = (length << 8) | (b[p++] & 0xff);
        }
      }
      if (length > limit - p) {
        throw new Malformed();
      }
      this.contentStart = p;
      this.end = (int) (p + length);
    }

    int tag() {
      return tag;
    }

    byte[] content() {
      return java.util.Arrays.copyOfRange(b, contentStart, end);
    }

    /** The first element inside this one. */
    Der child() throws Malformed {
      if ((tag & 0x20) == 0) {
        throw new Malformed();
      }
      return new Der(b, contentStart, end);
    }

    /** The element after this one within the same parent. */
    Der next() throws Malformed {
      Der d = nextOrNull();
      if (d == null) {
        throw new Malformed();
      }
      return d;
    }

    Der nextOrNull() throws Malformed {
      return end >= limit ? null : new Der(b, end, limit);
    }

    /** An OBJECT IDENTIFIER's dotted form ("" for any other element). */
    String oid() {
      if (tag != 0x06 || end == contentStart) {
        return "";
      }
      StringBuilder s = new StringBuilder();
      long v = 0;
      boolean first = true;
      for (int i = contentStart; i < end; i++) {
        v = (v << 7) | (b[i] & 0x7f);
        if ((b[i] & 0x80) == 0) {
          if (first) {
            s.append(v < 80 ? v / 40 : 2).append('.').append(v < 80 ? v % 40 : v - 80);
            first = false;
          } else {
            s.append('.').append(v);
          }
          v = 0;
        }
        if (v > (1L << 50)) {
          return "";
        }
      }
      return s.toString();
    }

    @Override
    public String toString() {
      return "Der[tag=" + tag + ", at " + start + "]";
    }
  }
}
