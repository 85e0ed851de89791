package dev.jdkms.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Writes a variable into an OVMF variable store file (OVMF_VARS*.fd) before the guest starts: the
 * way a MOK is "enrolled ahead of boot" without MokManager's screen. The store is a firmware volume
 * holding an authenticated variable store; variables follow one another, each a 60-byte header, its
 * UTF-16 name and its data, 4-byte aligned, until the erased (0xFF) space. Only appending a new,
 * non-authenticated variable is supported: enough for shim's {@code MokList}.
 */
public final class EfiVarStore {
  /** shim's vendor GUID (MokList, MokNew, MokListRT...). */
  public static final UUID SHIM_LOCK = UUID.fromString("605dab50-e046-4300-abb6-3dd810dd8b23");

  private static final UUID AUTH_VARIABLE_STORE =
      UUID.fromString("aaf32c78-947b-439a-a180-2e144ec37792");
  private static final UUID CERT_X509 = UUID.fromString("a5c059a1-94e4-4aa7-87b5-ab155c2bf072");
  private static final int HEADER = 60;
  private static final int START_ID = 0x55aa;
  private static final int VAR_ADDED = 0x3f;

  /** Non-volatile, boot-services only: what shim requires of MokList (no runtime access). */
  public static final int NV_BS = 0x3;

  private EfiVarStore() {}

  /** Appends {@code MokList} holding one X.509 certificate (DER), as MokManager would. */
  public static void enrolMok(Path store, byte[] certificateDer) {
    ByteBuffer list = le(28 + 16 + certificateDer.length);
    putGuid(list, CERT_X509);
    list.putInt(28 + 16 + certificateDer.length).putInt(0).putInt(16 + certificateDer.length);
    putGuid(list, SHIM_LOCK);
    list.put(certificateDer);
    append(store, "MokList", SHIM_LOCK, NV_BS, list.array());
  }

  /** Appends a variable {@code name} with {@code data} to the store file. */
  public static void append(Path store, String name, UUID vendor, int attributes, byte[] data) {
    try {
      byte[] fv = Files.readAllBytes(store);
      ByteBuffer b = ByteBuffer.wrap(fv).order(ByteOrder.LITTLE_ENDIAN);
      if (b.getInt(40) != 0x4856465f) { // "_FVH"
        throw new IllegalArgumentException(store + ": not a firmware volume");
      }
      int vs = Short.toUnsignedInt(b.getShort(48));
      if (!getGuid(b, vs).equals(AUTH_VARIABLE_STORE)) {
        throw new IllegalArgumentException(store + ": not an authenticated variable store");
      }
      int end = vs + b.getInt(vs + 16);
      int off = vs + 28;
      while (off + HEADER <= end && Short.toUnsignedInt(b.getShort(off)) == START_ID) {
        off = align(off + HEADER + b.getInt(off + 36) + b.getInt(off + 40));
      }
      byte[] utf16 = (name + "\0").getBytes(StandardCharsets.UTF_16LE);
      int next = align(off + HEADER + utf16.length + data.length);
      if (next > end) {
        throw new IllegalArgumentException(store + ": no room for " + name);
      }
      b.position(off);
      b.putShort((short) START_ID).put((byte) VAR_ADDED).put((byte) 0).putInt(attributes);
      b.putLong(0).put(new byte[16]).putInt(0); // monotonic count, time stamp, public key index
      b.putInt(utf16.length).putInt(data.length);
      putGuid(b, vendor);
      b.put(utf16).put(data);
      Files.write(store, fv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int align(int n) {
    return (n + 3) & ~3;
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** EFI GUIDs: the first three fields little-endian, the last eight bytes as written. */
  private static void putGuid(ByteBuffer b, UUID g) {
    long hi = g.getMostSignificantBits();
    b.putInt((int) (hi >>> 32)).putShort((short) (hi >>> 16)).putShort((short) hi);
    b.order(ByteOrder.BIG_ENDIAN).putLong(g.getLeastSignificantBits());
    b.order(ByteOrder.LITTLE_ENDIAN);
  }

  private static UUID getGuid(ByteBuffer b, int at) {
    long a = Integer.toUnsignedLong(b.getInt(at));
    long c = Short.toUnsignedLong(b.getShort(at + 4));
    long d = Short.toUnsignedLong(b.getShort(at + 6));
    long lo = b.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(at + 8);
    return new UUID(a << 32 | c << 16 | d, lo);
  }
}
