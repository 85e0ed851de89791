package dev.jdkms.core.secureboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.Fuzz;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes what Secure Boot help reads from firmware and from module files: damaged signature lists
 * with real certificates and digests, damaged module signatures. Every input must be read or
 * refused with a {@link SecureBootException}; the probe must never fail at all.
 */
class SecureBootFuzzTest {
  static final long SEED = 0x5ecb007L;

  @TempDir static Path keys;
  static EfiFixture.Pair a;
  static EfiFixture.Pair b;

  @TempDir Path root;

  @BeforeAll
  static void generateKeys() throws Exception {
    a = EfiFixture.generate(keys, "a");
    b = EfiFixture.generate(keys, "b");
  }

  @Test
  void signatureListsAndTheirCertificates() throws Exception {
    List<byte[]> valid = lists();
    int refused =
        new Fuzz(
                "efi signature lists",
                SEED,
                20_000,
                Duration.ofSeconds(3),
                SecureBootException.class)
            .run(valid, (input, round) -> readLists(input));
    assertThat(refused).isPositive();
  }

  @Test
  void moduleSignatures() throws Exception {
    List<byte[]> valid = new ArrayList<>();
    for (EfiFixture.Pair p : List.of(a, b)) {
      Path m = EfiFixture.module(keys.resolve("m-" + p.key().getFileName() + ".ko"), p);
      valid.add(Files.readAllBytes(m));
      assertThat(ModuleSigners.fromImage(valid.get(valid.size() - 1), m)).isPresent();
    }
    Path name = Path.of("fuzz.ko");
    int refused =
        new Fuzz(
                "module signatures", SEED, 20_000, Duration.ofSeconds(3), SecureBootException.class)
            .run(valid, (input, round) -> ModuleSigners.fromImage(input, name));
    assertThat(refused).isPositive();
  }

  @Test
  void theProbeNeverFails() throws Exception {
    EfiFixture f = new EfiFixture(root).secureBoot(1);
    new Fuzz("secure boot probe", SEED, 1_000, Duration.ofSeconds(3))
        .run(
            lists(),
            (input, round) -> {
              f.variable("MokListRT", EfiGuid.SHIM_LOCK, input);
              f.variable("MokNew", EfiGuid.SHIM_LOCK, input);
              SecureBootState s = SecureBootProbe.read(root.resolve("sys"));
              assertThat(s.mode()).isEqualTo(SecureBootState.Mode.ON);
            });
  }

  private static List<byte[]> lists() throws Exception {
    ByteArrayOutputStream mixed = new ByteArrayOutputStream();
    mixed.writeBytes(EfiFixture.x509Lists(a));
    mixed.writeBytes(
        EfiSignatureLists.encode(
            EfiGuid.CERT_SHA256, EfiFixture.OWNER, List.of(new byte[32], new byte[32])));
    mixed.writeBytes(EfiFixture.x509Lists(b));
    return List.of(EfiFixture.x509Lists(a), EfiFixture.x509Lists(a, b), mixed.toByteArray());
  }

  private static void readLists(byte[] input) throws SecureBootException {
    for (EfiSignature s : EfiSignatureLists.parse("fuzz", input)) {
      if (s.isX509()) {
        KeyCertificate c = KeyCertificate.parse(s.data(), "fuzz");
        c.sha1();
        c.subject();
        c.subjectKeyId();
      }
    }
  }
}
