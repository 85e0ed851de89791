package dev.jdkms.core.secureboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.secureboot.SecureBootState.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureBootProbeTest {
  @TempDir static Path keys;
  static EfiFixture.Pair enrolled;
  static EfiFixture.Pair waiting;

  @TempDir Path root;

  @BeforeAll
  static void generateKeys() throws Exception {
    enrolled = EfiFixture.generate(keys, "enrolled");
    waiting = EfiFixture.generate(keys, "waiting");
  }

  @Test
  void aMachineWithoutEfiIsNotEfi() {
    SecureBootState s = SecureBootProbe.read(root.resolve("sys"));
    assertThat(s.mode()).isEqualTo(Mode.NOT_EFI);
    assertThat(s.enforced()).isFalse();
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void efiWithoutEfivarfsIsUnknown() throws Exception {
    Files.createDirectories(root.resolve("sys/firmware/efi/efivars"));
    SecureBootState s = SecureBootProbe.read(root.resolve("sys"));
    assertThat(s.mode()).isEqualTo(Mode.UNKNOWN);
    assertThat(s.problems()).containsExactly("efivarfs is not mounted at " + efivars());
  }

  @Test
  void readsSecureBootTheMokListTheDbAndMokNew() throws Exception {
    new EfiFixture(root)
        .secureBoot(1)
        .mokList(enrolled)
        .mokNew(waiting)
        .variable("db", EfiGuid.IMAGE_SECURITY_DATABASE, EfiFixture.x509Lists(waiting))
        .lockdown("none [integrity] confidentiality");

    SecureBootState s = SecureBootProbe.read(root.resolve("sys"));

    assertThat(s.mode()).isEqualTo(Mode.ON);
    assertThat(s.lockdown()).isEqualTo("integrity");
    assertThat(s.enforced()).isTrue();
    assertThat(s.mokListRead()).isTrue();
    assertThat(s.trusted()).extracting(TrustedKey::source).containsExactly("MokListRT", "db");
    assertThat(s.find(enrolled.parsed()).orElseThrow().source()).isEqualTo("MokListRT");
    assertThat(s.pending()).hasSize(1);
    assertThat(s.pending().get(0).certificate().sameAs(waiting.parsed())).isTrue();
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void setupModeAndShimValidationDisabledAreNotEnforced() throws Exception {
    EfiFixture f = new EfiFixture(root).secureBoot(0);
    f.variable("SetupMode", EfiGuid.GLOBAL, new byte[] {1});
    assertThat(SecureBootProbe.read(root.resolve("sys")).mode()).isEqualTo(Mode.SETUP_MODE);

    f.secureBoot(1).variable("MokSBStateRT", EfiGuid.SHIM_LOCK, new byte[] {1});
    SecureBootState s = SecureBootProbe.read(root.resolve("sys"));
    assertThat(s.mode()).isEqualTo(Mode.ON);
    assertThat(s.validationDisabled()).isTrue();
    assertThat(s.enforced()).isFalse();
  }

  @Test
  void lockdownAndSigEnforceDecideOverTheFirmware() throws Exception {
    EfiFixture f = new EfiFixture(root).secureBoot(1).lockdown("[none] integrity confidentiality");
    assertThat(SecureBootProbe.read(root.resolve("sys")).enforced()).isFalse();

    f.secureBoot(0).lockdown("none integrity [confidentiality]");
    assertThat(SecureBootProbe.read(root.resolve("sys")).enforced()).isTrue();

    Files.delete(root.resolve("sys/kernel/security/lockdown"));
    Path sigEnforce = root.resolve("sys/module/module/parameters/sig_enforce");
    Files.createDirectories(sigEnforce.getParent());
    Files.writeString(sigEnforce, "Y\n");
    SecureBootState s = SecureBootProbe.read(root.resolve("sys"));
    assertThat(s.sigEnforce()).contains(true);
    assertThat(s.enforced()).isTrue();
  }

  @Test
  void joinsMokListParts() throws Exception {
    byte[] both = EfiFixture.x509Lists(enrolled, waiting);
    int cut = EfiFixture.x509Lists(enrolled).length;
    new EfiFixture(root)
        .secureBoot(1)
        .variable("MokListRT", EfiGuid.SHIM_LOCK, Arrays.copyOf(both, cut))
        .variable("MokListRT1", EfiGuid.SHIM_LOCK, Arrays.copyOfRange(both, cut, both.length));

    assertThat(SecureBootProbe.read(root.resolve("sys")).trusted()).hasSize(2);
  }

  @Test
  void prefersTheMokVariablesTableWhichHasNoAttributes() throws Exception {
    new EfiFixture(root).secureBoot(1);
    Path table = root.resolve("sys/firmware/efi/mok-variables/MokListRT");
    Files.createDirectories(table.getParent());
    Files.write(table, EfiFixture.x509Lists(enrolled));

    SecureBootState s = SecureBootProbe.read(root.resolve("sys"));
    assertThat(s.find(enrolled.parsed())).isPresent();
    assertThat(s.mokListRead()).isTrue();
  }

  @Test
  void aBrokenVariableIsAProblemNotAFailure() throws Exception {
    byte[] lists = EfiFixture.x509Lists(enrolled);
    byte[] badCert = EfiFixture.x509Lists(waiting);
    badCert[28 + 16] = 0x05; // the certificate's first byte: no longer a SEQUENCE
    byte[] both = new byte[lists.length + badCert.length];
    System.arraycopy(badCert, 0, both, 0, badCert.length);
    System.arraycopy(lists, 0, both, badCert.length, lists.length);
    new EfiFixture(root)
        .secureBoot(1)
        .variable("MokListRT", EfiGuid.SHIM_LOCK, both)
        .variable("MokNew", EfiGuid.SHIM_LOCK, new byte[] {1, 2, 3});
    Files.write(efivars().resolve("db-" + EfiGuid.IMAGE_SECURITY_DATABASE), new byte[] {7, 0});

    SecureBootState s = SecureBootProbe.read(root.resolve("sys"));

    assertThat(s.mode()).isEqualTo(Mode.ON);
    assertThat(s.find(enrolled.parsed())).isPresent();
    assertThat(s.problems())
        .containsExactly(
            "MokListRT entry 1: not an X.509 certificate",
            "db: 2 bytes, no attributes",
            "MokNew: malformed signature list at byte 0: a signature list header needs 28 bytes,"
                + " 3 left");
  }

  @Test
  void refusesAVariableLargerThanAnyRealOne() throws Exception {
    new EfiFixture(root)
        .secureBoot(1)
        .variable("MokNew", EfiGuid.SHIM_LOCK, new byte[EfiVariables.MAX_VALUE + 1]);
    assertThat(SecureBootProbe.read(root.resolve("sys")).problems())
        .containsExactly("MokNew: larger than 1024 KiB");
  }

  private Path efivars() {
    return root.resolve("sys/firmware/efi/efivars");
  }
}
