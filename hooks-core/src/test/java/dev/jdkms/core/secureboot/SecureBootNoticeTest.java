package dev.jdkms.core.secureboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.kernel.Distribution;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.sign.SigningPlan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureBootNoticeTest {
  @TempDir static Path keys;
  static EfiFixture.Pair mok;
  static EfiFixture.Pair other;

  @TempDir Path root;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Console console = Console.of(out, err);

  @BeforeAll
  static void generateKeys() throws Exception {
    mok = EfiFixture.generate(keys, "mok");
    other = EfiFixture.generate(keys, "other");
  }

  @Test
  void tellsOnceWhatToDoWhenTheFirmwareDoesNotTrustTheCertificate() throws Exception {
    new EfiFixture(root).secureBoot(1).mokList(other).lockdown("none [integrity]");
    SecureBootNotice notice = new SecureBootNotice(root.resolve("sys"));

    notice.afterSigning(plan(), console);
    notice.afterSigning(plan(), console);

    Path cert = mok.certificate();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "\n"
                + "Secure Boot is on, and the modules were signed with "
                + cert
                + ",\n"
                + "a certificate this machine's firmware does not trust yet (SHA-1 "
                + mok.parsed().sha1()
                + ").\n"
                + "They will not load until it is enrolled. To enrol it, run\n"
                + "    mokutil --import "
                + cert
                + "\n"
                + "and choose a one-time password. At the next boot, a blue MokManager screen"
                + " appears:\n"
                + "choose \"Enroll MOK\", \"Continue\", \"Yes\", type that password, and"
                + " reboot.\n"
                + "`jdkms secureboot` shows the state and which modules will load.\n");
    assertThat(err.size()).isZero();
  }

  @Test
  void saysNothingWhenEnrolledOrPending() throws Exception {
    new EfiFixture(root).secureBoot(1).mokList(mok);
    new SecureBootNotice(root.resolve("sys")).afterSigning(plan(), console);
    new EfiFixture(root).mokList(other).mokNew(mok);
    new SecureBootNotice(root.resolve("sys")).afterSigning(plan(), console);
    assertThat(out.size()).isZero();
  }

  @Test
  void saysNothingWithoutSecureBootOrWithoutSigning() throws Exception {
    new SecureBootNotice(root.resolve("sys")).afterSigning(plan(), console); // not EFI
    EfiFixture f = new EfiFixture(root).secureBoot(0);
    new SecureBootNotice(root.resolve("sys")).afterSigning(plan(), console);
    f.secureBoot(1).lockdown("[none] integrity");
    new SecureBootNotice(root.resolve("sys")).afterSigning(plan(), console);
    f.lockdown("none [integrity]");
    new SecureBootNotice(root.resolve("sys")).afterSigning(SigningPlan.disabled(), console);
    new SecureBootNotice(root.resolve("sys")).afterSigning(null, console);
    assertThat(out.size()).isZero();
  }

  @Test
  void parallelBuildsOfOneRunShareTheNotice() {
    Session s =
        new Session(
            console,
            ChildEnvironment.of(Map.of()),
            new Distribution("debian"),
            Map.of(),
            new DkmsRequest(),
            "");
    assertThat(s.fork(Console.of(out, err)).secureBootNotice()).isSameAs(s.secureBootNotice());
  }

  private static SigningPlan plan() {
    return new SigningPlan(true, null, "sha256", mok.key(), mok.certificate());
  }
}
