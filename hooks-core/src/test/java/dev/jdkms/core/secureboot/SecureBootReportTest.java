package dev.jdkms.core.secureboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.tree.DkmsTree;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureBootReportTest {
  static final String KERNEL = "6.1.0-56-amd64";

  @TempDir static Path keys;
  static EfiFixture.Pair mok;
  static EfiFixture.Pair vendor;

  @TempDir Path root;

  @BeforeAll
  static void generateKeys() throws Exception {
    mok = EfiFixture.generate(keys, "mok");
    vendor = EfiFixture.generate(keys, "vendor");
  }

  @Test
  void notEnrolledSaysHowAndListsTheModules() throws Exception {
    new EfiFixture(root).secureBoot(1).mokList(vendor).lockdown("none [integrity] confidentiality");
    Path dkms = root.resolve("dkms");
    Path dir = EfiFixture.installed(dkms, "hello", "1.0", KERNEL, "x86_64");
    EfiFixture.module(dir.resolve("hello.ko"), mok);
    EfiFixture.module(dir.resolve("world.ko"), vendor);

    assertThat(report(dkms))
        .containsExactly(
            "Secure Boot: on",
            "Kernel "
                + KERNEL
                + " (lockdown: integrity): loads only modules signed by a key it"
                + " trusts",
            "",
            "Signing certificate: " + mok.certificate(),
            "  subject: CN=DKMS module signing key",
            "  SHA-1:   " + mok.parsed().sha1(),
            "  SHA-256: " + mok.parsed().sha256(),
            "  enrolled: no. Modules signed with it load under Secure Boot once you run",
            "    mokutil --import " + mok.certificate(),
            "  choose a one-time password and reboot; in the blue MokManager screen choose",
            "  \"Enroll MOK\", \"Continue\", \"Yes\", and type that password.",
            "",
            "DKMS modules installed for " + KERNEL + ":",
            "  hello/1.0 hello.ko: will NOT load: signed by CN=DKMS module signing key, serial "
                + KeyCertificate.colons(mok.parsed().serial().toByteArray())
                    .replaceFirst("^00:", "")
                + ", which is in neither MokListRT nor db; keys built into the kernel cannot be read"
                + " from here",
            "  hello/1.0 world.ko: will load: signed by CN=DKMS module signing key, enrolled in"
                + " MokListRT");
  }

  @Test
  void pendingAndEnrolled() throws Exception {
    EfiFixture f = new EfiFixture(root).secureBoot(1).mokNew(mok);
    assertThat(report(root.resolve("none")))
        .contains(
            "  enrolled: pending. At the next boot MokManager asks to enrol it: choose",
            "  \"Enroll MOK\" and type the password given to mokutil --import.",
            "No DKMS modules are installed for " + KERNEL + ".");
    f.variable("db", EfiGuid.IMAGE_SECURITY_DATABASE, EfiFixture.x509Lists(mok));
    assertThat(report(root.resolve("none")))
        .contains("  (mokutil --import " + mok.certificate() + " makes it a MOK as well)");
    f.mokList(vendor, mok);
    assertThat(report(root.resolve("none"))).contains("  enrolled: yes, in MokListRT");
  }

  @Test
  void offNotEfiAndUnreadable() throws Exception {
    List<String> notEfi = report(root.resolve("none"));
    assertThat(notEfi.subList(0, 2))
        .containsExactly(
            "Secure Boot: off (not an EFI system)",
            "Kernel " + KERNEL + ": loads unsigned modules too (they taint it)");
    assertThat(notEfi).noneMatch(l -> l.contains("enrolled"));

    new EfiFixture(root).secureBoot(0).variable("MokNew", EfiGuid.SHIM_LOCK, new byte[] {9});
    List<String> off = report(root.resolve("none"));
    assertThat(off.get(0)).isEqualTo("Secure Boot: off");
    assertThat(off.subList(off.size() - 2, off.size()))
        .containsExactly(
            "Not readable:",
            "  MokNew: malformed signature list at byte 0: a signature list header needs 28"
                + " bytes, 1 left");
  }

  @Test
  void aMissingCertificateIsSaidNotFailed() throws Exception {
    new EfiFixture(root).secureBoot(1);
    Path missing = root.resolve("mok.pub");
    List<String> r =
        SecureBootReport.lines(
            SecureBootProbe.read(root.resolve("sys")), missing, KERNEL, List.of());
    assertThat(r)
        .contains(
            "Signing certificate: " + missing,
            "  not readable: " + missing + ": no such file",
            "  (dkms creates it at the first build that signs modules, or: dkms generate_mok)");
  }

  private List<String> report(Path dkms) throws Exception {
    SecureBootState state = SecureBootProbe.read(root.resolve("sys"));
    return SecureBootReport.lines(
        state,
        mok.certificate(),
        KERNEL,
        new ModuleVerdicts(state).installed(new DkmsTree(dkms, root.resolve("src")), KERNEL));
  }
}
