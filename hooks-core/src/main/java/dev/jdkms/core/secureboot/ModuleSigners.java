package dev.jdkms.core.secureboot;

import dev.jdkms.core.compress.Compression;
import dev.jdkms.core.compress.Decompression;
import dev.jdkms.core.compress.LimitExceededException;
import dev.jdkms.core.sign.ModuleSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The signer of a module file ({@code .ko}, or {@code .ko.gz/.xz/.zst}, whose signature is inside
 * the compressed image, as the kernel sees it after decompressing).
 */
public final class ModuleSigners {
  /** A module signature is a PKCS#7 blob of a few hundred bytes; anything larger is not one. */
  static final int MAX_SIGNATURE = 64 << 10;

  /** Compressed modules are read whole; the largest real ones are tens of MiB. */
  static final long MAX_COMPRESSED = 256L << 20;

  private ModuleSigners() {}

  /**
   * Who signed {@code module}; empty when it is not signed.
   *
   * @throws SecureBootException when the kernel would refuse the file whatever its keys: a corrupt
   *     compressed stream, a malformed trailer, a signature that cannot be parsed
   * @throws IOException when the file cannot be read
   */
  public static Optional<SignerId> read(Path module) throws IOException, SecureBootException {
    try {
      if (compression(module) == Compression.NONE) {
        return uncompressed(module);
      }
      if (Files.size(module) > MAX_COMPRESSED) {
        throw new SecureBootException(module + ": larger than " + (MAX_COMPRESSED >> 20) + " MiB");
      }
      return fromImage(decompressed(Files.readAllBytes(module), module), module);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** A compressed module's image: a corrupt or oversized stream is one the kernel refuses. */
  private static byte[] decompressed(byte[] bytes, Path module) throws SecureBootException {
    // a third of the heap (1 GiB at most): a crafted module never exhausts this JVM
    long limit = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 3);
    try {
      return Decompression.decompress(bytes, Compression.detect(bytes), limit);
    } catch (LimitExceededException e) {
      throw new SecureBootException(
          module + ": decompresses to more than " + (limit >> 20) + " MiB", e);
    } catch (IOException e) {
      throw new SecureBootException(module + ": " + e.getMessage(), e);
    }
  }

  /** The signer of a decompressed module image in memory. */
  public static Optional<SignerId> fromImage(byte[] image, Path module) throws SecureBootException {
    Optional<ModuleSignature> trailer = ModuleSignature.parse(image);
    if (trailer.isEmpty()) {
      return Optional.empty();
    }
    check(trailer.get(), module);
    int from = (int) trailer.get().contentLength();
    return Optional.of(
        SignerId.ofPkcs7(
            Arrays.copyOfRange(image, from, from + (int) trailer.get().signatureLength())));
  }

  private static Optional<SignerId> uncompressed(Path module)
      throws IOException, SecureBootException {
    Optional<ModuleSignature> trailer = ModuleSignature.read(module);
    if (trailer.isEmpty()) {
      return Optional.empty();
    }
    check(trailer.get(), module);
    ByteBuffer blob = ByteBuffer.allocate((int) trailer.get().signatureLength());
    try (FileChannel channel = FileChannel.open(module)) {
      while (blob.hasRemaining()) {
        if (channel.read(blob, trailer.get().contentLength() + blob.position()) < 0) {
          throw new SecureBootException(module + ": shrank while being read");
        }
      }
    }
    return Optional.of(SignerId.ofPkcs7(blob.array()));
  }

  /** The kernel's mod_check_sig(): a trailer of the wrong shape is refused before any key. */
  private static void check(ModuleSignature trailer, Path module) throws SecureBootException {
    if (!trailer.isWellFormed()) {
      throw new SecureBootException(module + ": its signature trailer is malformed");
    }
    if (trailer.signatureLength() > MAX_SIGNATURE) {
      throw new SecureBootException(
          module + ": a signature of " + trailer.signatureLength() + " bytes is not a module's");
    }
  }

  private static Compression compression(Path module) throws IOException {
    try (InputStream in = Files.newInputStream(module)) {
      return Compression.detect(in.readNBytes(6));
    }
  }
}
