package dev.jdkms.core.sign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * The signature trailer the kernel expects at the end of a module file:
 *
 * <pre>
 * [ module (signed content) ][ PKCS#7, sig_len bytes ][ struct module_signature, 12 B ][ magic, 28 B ]
 * struct module_signature { u8 algo, hash, id_type, signer_len, key_id_len, __pad[3]; __be32 sig_len; }
 * </pre>
 *
 * <p>Only facts that do not depend on the signer are exposed; they are enough to strip the
 * signature before parsing the ELF and to predict whether the kernel's {@code mod_check_sig()} will
 * accept the trailer. Modules must be uncompressed: decompress first and use {@link
 * #parse(byte[])}.
 */
public final class ModuleSignature {
  /** The string the kernel looks for at the very end of a signed module. */
  public static final String MAGIC = "~Module signature appended~\n";

  /** {@code id_type} of a PKCS#7/CMS signature, the only kind current kernels accept. */
  public static final int PKEY_ID_PKCS7 = 2;

  private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
  private static final int STRUCT_SIZE = 12;
  private static final int TRAILER_SIZE = STRUCT_SIZE + MAGIC_BYTES.length;

  private final long contentLength;
  private final long signatureLength;
  private final int idType;
  private final boolean wellFormed;

  private ModuleSignature(
      long contentLength, long signatureLength, int idType, boolean wellFormed) {
    this.contentLength = contentLength;
    this.signatureLength = signatureLength;
    this.idType = idType;
    this.wellFormed = wellFormed;
  }

  /**
   * Whether the file ends with the signature magic, the same test the kernel and {@code modinfo}
   * make. Says nothing about whether the signature verifies.
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static boolean isSigned(Path module) {
    return read(module).isPresent();
  }

  /**
   * The trailer of a module file, or empty if the file does not end with the magic (or is too short
   * to hold the 40-byte trailer, which no module is).
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Optional<ModuleSignature> read(Path module) {
    try (FileChannel channel = FileChannel.open(module, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < TRAILER_SIZE) {
        return Optional.empty();
      }
      ByteBuffer tail = ByteBuffer.allocate(TRAILER_SIZE);
      while (tail.hasRemaining()) {
        if (channel.read(tail, size - TRAILER_SIZE + tail.position()) < 0) {
          throw new IOException("file shrank while reading: " + module);
        }
      }
      return fromTail(tail.array(), size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Like {@link #read(Path)} for a module already in memory (e.g. after decompression). */
  public static Optional<ModuleSignature> parse(byte[] module) {
    if (module.length < TRAILER_SIZE) {
      return Optional.empty();
    }
    return fromTail(
        Arrays.copyOfRange(module, module.length - TRAILER_SIZE, module.length), module.length);
  }

  private static Optional<ModuleSignature> fromTail(byte[] tail, long fileSize) {
    if (!Arrays.equals(tail, STRUCT_SIZE, TRAILER_SIZE, MAGIC_BYTES, 0, MAGIC_BYTES.length)) {
      return Optional.empty();
    }
    ByteBuffer struct = ByteBuffer.wrap(tail, 0, STRUCT_SIZE); // big-endian, like __be32 sig_len
    int algo = struct.get();
    int hash = struct.get();
    int idType = Byte.toUnsignedInt(struct.get());
    int signerLen = struct.get();
    int keyIdLen = struct.get();
    int pad = struct.get() | struct.get() | struct.get();
    long sigLen = Integer.toUnsignedLong(struct.getInt());
    // mod_check_sig(): the signature must leave at least one byte of module in front of it ...
    boolean fits = sigLen < fileSize - TRAILER_SIZE;
    // ... must be PKCS#7, and every legacy field must be zero, or the kernel refuses the module.
    boolean wellFormed =
        fits && idType == PKEY_ID_PKCS7 && (algo | hash | signerLen | keyIdLen | pad) == 0;
    long content = fits ? fileSize - TRAILER_SIZE - sigLen : 0;
    return Optional.of(new ModuleSignature(content, sigLen, idType, wellFormed));
  }

  /**
   * The trailer that follows a PKCS#7 signature of {@code signatureLength} bytes: the struct as
   * {@code sign-file} fills it (everything zero except id_type and sig_len) and the magic.
   */
  static byte[] trailerFor(int signatureLength) {
    return ByteBuffer.allocate(TRAILER_SIZE)
        .put(new byte[] {0, 0, (byte) PKEY_ID_PKCS7, 0, 0, 0, 0, 0})
        .putInt(signatureLength)
        .put(MAGIC_BYTES)
        .array();
  }

  /**
   * Number of leading bytes the signature covers: the module proper, which is what an ELF reader
   * must look at. Zero if the declared signature length does not fit into the file.
   */
  public long contentLength() {
    return contentLength;
  }

  /** {@code sig_len}: size of the PKCS#7 blob in front of the struct. */
  public long signatureLength() {
    return signatureLength;
  }

  /** {@code id_type}: {@link #PKEY_ID_PKCS7} for any module signed by a kernel since 4.3. */
  public int idType() {
    return idType;
  }

  /**
   * Whether the kernel's {@code mod_check_sig()} accepts the trailer's shape. A malformed trailer
   * makes the kernel refuse the module even when signatures are not enforced.
   */
  public boolean isWellFormed() {
    return wellFormed;
  }

  @Override
  public String toString() {
    return "ModuleSignature[contentLength="
        + contentLength
        + ", signatureLength="
        + signatureLength
        + ", idType="
        + idType
        + ", wellFormed="
        + wellFormed
        + "]";
  }
}
