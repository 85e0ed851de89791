package dev.jdkms.core.secureboot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads variables from efivarfs ({@code /sys/firmware/efi/efivars}), where each file is named
 * {@code Name-GUID} and holds a 4-byte attribute word followed by the value. Nothing here needs
 * root or mokutil; the directory is given by the caller so tests use fabricated files.
 */
public final class EfiVariables {
  /**
   * The largest value read. Real MOK lists and db hold a few certificates (kilobytes); shim splits
   * MokListRT into MokListRT1, 2... beyond its own limit, so a larger file is not one of ours.
   */
  static final int MAX_VALUE = 1 << 20;

  private static final int ATTRIBUTES = 4;

  private final Path directory;

  public EfiVariables(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** Whether the directory exists and lists at least one variable (efivarfs is mounted). */
  public boolean mounted() {
    try (var files = Files.list(directory)) {
      return files.findAny().isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The value of {@code name-guid} without its attributes, or empty when the variable is not set.
   *
   * @throws SecureBootException when the file is unreadable, too large or shorter than the
   *     attributes
   */
  public Optional<byte[]> read(String name, EfiGuid guid) throws SecureBootException {
    Optional<byte[]> file = readBounded(directory.resolve(name + "-" + guid), name);
    if (file.isEmpty()) {
      return file;
    }
    byte[] bytes = file.get();
    if (bytes.length < ATTRIBUTES) {
      throw new SecureBootException(name + ": " + bytes.length + " bytes, no attributes");
    }
    return Optional.of(Arrays.copyOfRange(bytes, ATTRIBUTES, bytes.length));
  }

  /** The first byte of a one-byte variable such as SecureBoot (1 = on), or empty when unset. */
  public Optional<Integer> flag(String name, EfiGuid guid) throws SecureBootException {
    Optional<byte[]> value = read(name, guid);
    if (value.isPresent() && value.get().length == 0) {
      throw new SecureBootException(name + ": empty value");
    }
    return value.map(v -> Byte.toUnsignedInt(v[0]));
  }

  /**
   * A whole file, at most {@link #MAX_VALUE} bytes (plus attributes); empty when it does not exist.
   * Sizes reported by sysfs are not trusted: the read itself stops at the limit.
   */
  static Optional<byte[]> readBounded(Path file, String name) throws SecureBootException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_VALUE + ATTRIBUTES + 1);
      if (bytes.length > MAX_VALUE + ATTRIBUTES) {
        throw new SecureBootException(name + ": larger than " + (MAX_VALUE >> 10) + " KiB");
      }
      return Optional.of(bytes);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SecureBootException(name + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
