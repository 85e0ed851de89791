package dev.jdkms.core.secureboot;

import dev.jdkms.core.sign.ModuleSigner;
import dev.jdkms.core.sign.MokGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fabricated machine for Secure Boot tests: {@code sys/firmware/efi/efivars} with variables
 * written as efivarfs shows them (4 attribute bytes, then the value), lockdown, a DKMS tree with
 * installed modules, and real key pairs from {@link MokGenerator}.
 */
final class EfiFixture {
  /** NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS, what efivarfs shows for these. */
  static final byte[] ATTRIBUTES = {7, 0, 0, 0};

  static final EfiGuid OWNER = new EfiGuid("605dab50-e046-4300-abb6-3dd810dd8b23");

  /** A key pair on disk. */
  record Pair(Path key, Path certificate) {
    KeyCertificate parsed() throws SecureBootException {
      return KeyCertificate.read(certificate);
    }
  }

  final Path root;

  EfiFixture(Path root) throws IOException {
    this.root = root;
  }

  Path efivars() {
    return root.resolve("sys/firmware/efi/efivars");
  }

  EfiFixture variable(String name, EfiGuid guid, byte[] value) throws IOException {
    Files.createDirectories(efivars());
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(ATTRIBUTES);
    b.writeBytes(value);
    Files.write(efivars().resolve(name + "-" + guid), b.toByteArray());
    return this;
  }

  EfiFixture secureBoot(int value) throws IOException {
    return variable("SecureBoot", EfiGuid.GLOBAL, new byte[] {(byte) value});
  }

  EfiFixture mokList(Pair... pairs) throws IOException, SecureBootException {
    return variable("MokListRT", EfiGuid.SHIM_LOCK, x509Lists(pairs));
  }

  EfiFixture mokNew(Pair... pairs) throws IOException, SecureBootException {
    return variable("MokNew", EfiGuid.SHIM_LOCK, x509Lists(pairs));
  }

  EfiFixture lockdown(String text) throws IOException {
    Path f = root.resolve("sys/kernel/security/lockdown");
    Files.createDirectories(f.getParent());
    Files.writeString(f, text + "\n");
    return this;
  }

  /** One EFI_SIGNATURE_LIST per certificate, as mokutil writes them. */
  static byte[] x509Lists(Pair... pairs) throws IOException, SecureBootException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Pair p : pairs) {
      b.writeBytes(EfiSignatureLists.encode(EfiGuid.CERT_X509, OWNER, List.of(p.parsed().der())));
    }
    return b.toByteArray();
  }

  static Pair generate(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    Pair p = new Pair(dir.resolve(name + ".key"), dir.resolve(name + ".pub"));
    MokGenerator.generate(p.key(), p.certificate());
    return p;
  }

  /** A file that passes for a module: the signer does not parse ELF, the verdicts neither. */
  static Path module(Path file, Pair signer) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(
        file, ("\u007fELF fake module " + file.getFileName()).getBytes(StandardCharsets.UTF_8));
    if (signer != null) {
      ModuleSigner.sign(file, "sha256", signer.key(), signer.certificate());
    }
    return file;
  }

  /** Registers M/V as added and installed for K/A in a DKMS tree under {@code dkms}. */
  static Path installed(Path dkms, String module, String version, String kernel, String arch)
      throws IOException {
    Path src = dkms.resolveSibling("src").resolve(module + "-" + version);
    Files.createDirectories(src);
    Path v = dkms.resolve(module).resolve(version);
    Path built = v.resolve(kernel).resolve(arch).resolve("module");
    Files.createDirectories(built);
    Files.createSymbolicLink(v.resolve("source"), src);
    Files.createSymbolicLink(
        dkms.resolve(module).resolve("kernel-" + kernel + "-" + arch),
        Path.of(version, kernel, arch));
    return built;
  }
}
