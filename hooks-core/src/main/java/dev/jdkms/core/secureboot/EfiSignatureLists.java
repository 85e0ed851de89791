package dev.jdkms.core.secureboot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the value of db, MokListRT or MokNew: a sequence of {@code EFI_SIGNATURE_LIST}s.
 *
 * <pre>
 * EFI_SIGNATURE_LIST { EFI_GUID SignatureType; UINT32 SignatureListSize, SignatureHeaderSize,
 *                      SignatureSize; UINT8 SignatureHeader[HeaderSize];
 *                      EFI_SIGNATURE_DATA Signatures[]; }            // little-endian
 * EFI_SIGNATURE_DATA { EFI_GUID SignatureOwner; UINT8 SignatureData[SignatureSize - 16]; }
 * </pre>
 *
 * <p>Every size comes from the variable and is checked against what is left of it before use, so a
 * crafted value can make the parser refuse, never allocate more than the value's own size.
 */
public final class EfiSignatureLists {
  /** SignatureType, SignatureListSize, SignatureHeaderSize, SignatureSize. */
  static final int LIST_HEADER = EfiGuid.SIZE + 12;

  private static final int SHA256_LENGTH = 32;

  private EfiSignatureLists() {}

  /**
   * Every entry of every list, in order. {@code name} only labels the message of the exception.
   *
   * @throws SecureBootException when a size does not fit the value or an entry has a size its type
   *     cannot have
   */
  public static List<EfiSignature> parse(String name, byte[] value) throws SecureBootException {
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    List<EfiSignature> out = new ArrayList<>();
    while (b.hasRemaining()) {
      int at = b.position();
      if (b.remaining() < LIST_HEADER) {
        throw bad(name, at, "a signature list header needs 28 bytes, " + b.remaining() + " left");
      }
      EfiGuid type = EfiGuid.read(b);
      long listSize = Integer.toUnsignedLong(b.getInt());
      long headerSize = Integer.toUnsignedLong(b.getInt());
      long entrySize = Integer.toUnsignedLong(b.getInt());
      if (listSize > value.length - (long) at || listSize < LIST_HEADER + headerSize) {
        throw bad(name, at, "list size " + listSize + " does not fit");
      }
      long entries = listSize - LIST_HEADER - headerSize;
      if (entrySize <= EfiGuid.SIZE || entries % entrySize != 0) {
        throw bad(name, at, "entry size " + entrySize + " does not divide the list");
      }
      if (type.equals(EfiGuid.CERT_SHA256) && entrySize != EfiGuid.SIZE + SHA256_LENGTH) {
        throw bad(name, at, "a SHA-256 entry of " + entrySize + " bytes");
      }
      b.position((int) (b.position() + headerSize));
      for (long n = entries / entrySize; n > 0; n--) {
        EfiGuid owner = EfiGuid.read(b);
        byte[] data = new byte[(int) (entrySize - EfiGuid.SIZE)];
        b.get(data);
        out.add(new EfiSignature(type, owner, data));
      }
    }
    return out;
  }

  /** One list of {@code type} holding {@code data} entries, all of the same size (tests, enrol). */
  public static byte[] encode(EfiGuid type, EfiGuid owner, List<byte[]> data) {
    int entrySize = EfiGuid.SIZE + (data.isEmpty() ? 0 : data.get(0).length);
    ByteBuffer b =
        ByteBuffer.allocate(LIST_HEADER + entrySize * data.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(type.bytes()).putInt(b.capacity()).putInt(0).putInt(entrySize);
    for (byte[] d : data) {
      if (d.length != entrySize - EfiGuid.SIZE) {
        throw new IllegalArgumentException("entries of one list have one size");
      }
      b.put(owner.bytes()).put(d);
    }
    return b.array();
  }

  private static SecureBootException bad(String name, int at, String what) {
    return new SecureBootException(name + ": malformed signature list at byte " + at + ": " + what);
  }
}
