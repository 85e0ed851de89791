package dev.jdkms.core.secureboot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An EFI GUID. In memory the first three fields are little-endian and the last eight bytes are in
 * order; the text form ({@code 8be4df61-93ca-11d2-aa0d-00e098032b8c}) is how efivarfs names files.
 */
public record EfiGuid(String text) {
  // first: the constants below are checked against it while the class initialises
  private static final Pattern TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** The namespace of SecureBoot, SetupMode, PK and KEK. */
  public static final EfiGuid GLOBAL = new EfiGuid("8be4df61-93ca-11d2-aa0d-00e098032b8c");

  /** The namespace of db and dbx. */
  public static final EfiGuid IMAGE_SECURITY_DATABASE =
      new EfiGuid("d719b2cb-3d3a-4596-a3bc-dad00e67656f");

  /** shim's namespace: MokListRT, MokNew, MokSBStateRT. */
  public static final EfiGuid SHIM_LOCK = new EfiGuid("605dab50-e046-4300-abb6-3dd810dd8b23");

  /** EFI_CERT_X509_GUID: the entry is one DER-encoded certificate. */
  public static final EfiGuid CERT_X509 = new EfiGuid("a5c059a1-94e4-4aa7-87b5-ab155c2bf072");

  /** EFI_CERT_SHA256_GUID: the entry is the SHA-256 digest of an EFI binary. */
  public static final EfiGuid CERT_SHA256 = new EfiGuid("c1c41626-504c-4092-aca9-41f936934328");

  /** The size of a GUID in memory. */
  public static final int SIZE = 16;

  public EfiGuid {
    text = text.toLowerCase(Locale.ROOT);
    if (!TEXT.matcher(text).matches()) {
      throw new IllegalArgumentException("not a GUID: " + text);
    }
  }

  /** The GUID stored at the buffer's position, which advances by {@link #SIZE}. */
  static EfiGuid read(ByteBuffer buffer) {
    ByteBuffer b = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    buffer.position(buffer.position() + SIZE);
    StringBuilder s = new StringBuilder(36);
    s.append(String.format("%08x-%04x-%04x-", b.getInt(), b.getShort(), b.getShort()));
    for (int i = 0; i < 8; i++) {
      s.append(String.format("%02x", b.get()));
      if (i == 1) {
        s.append('-');
      }
    }
    return new EfiGuid(s.toString());
  }

  /** The 16 bytes as firmware stores them (tests build variables with this). */
  public byte[] bytes() {
    String hex = text.replace("-", "");
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) Long.parseLong(hex.substring(0, 8), 16));
    b.putShort((short) Integer.parseInt(hex.substring(8, 12), 16));
    b.putShort((short) Integer.parseInt(hex.substring(12, 16), 16));
    for (int i = 16; i < 32; i += 2) {
      b.put((byte) Integer.parseInt(hex.substring(i, i + 2), 16));
    }
    return b.array();
  }

  @Override
  public String toString() {
    return text;
  }
}
