package dev.jdkms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.secureboot.EfiGuid;
import dev.jdkms.core.secureboot.EfiSignatureLists;
import dev.jdkms.core.secureboot.KeyCertificate;
import dev.jdkms.core.sign.ModuleSigner;
import dev.jdkms.core.sign.MokGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jdkms secureboot} on a fabricated machine: Secure Boot on, the MOK not enrolled. */
class SecureBootCommandTest {
  static final String KERNEL = "6.1.0-56-amd64";

  @TempDir Path root;

  @Test
  void printsTheStateTheCertificateAndTheModules() throws Exception {
    Path key = root.resolve("mok.key");
    Path cert = root.resolve("mok.pub");
    MokGenerator.generate(key, cert);
    KeyCertificate mok = KeyCertificate.read(cert);
    Path efivars = Files.createDirectories(root.resolve("sys/firmware/efi/efivars"));
    Files.write(efivars.resolve("SecureBoot-" + EfiGuid.GLOBAL), new byte[] {6, 0, 0, 0, 1});
    byte[] list =
        EfiSignatureLists.encode(EfiGuid.CERT_X509, EfiGuid.SHIM_LOCK, List.of(mok.der()));
    byte[] mokNew = new byte[4 + list.length];
    System.arraycopy(list, 0, mokNew, 4, list.length);
    Files.write(efivars.resolve("MokNew-" + EfiGuid.SHIM_LOCK), mokNew);
    Path dkms = root.resolve("dkms");
    Path modules = Files.createDirectories(dkms.resolve("hello/1.0/" + KERNEL + "/x86_64/module"));
    Files.createSymbolicLink(
        dkms.resolve("hello/1.0/source"), Files.createDirectories(root.resolve("src/hello-1.0")));
    Files.createSymbolicLink(
        dkms.resolve("hello/kernel-" + KERNEL + "-x86_64"), Path.of("1.0/" + KERNEL + "/x86_64"));
    Files.writeString(modules.resolve("hello.ko"), "\u007fELF hello");
    ModuleSigner.sign(modules.resolve("hello.ko"), "sha256", key, cert);
    Files.writeString(modules.resolve("plain.ko"), "\u007fELF plain");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc =
        JdkmsCommand.run(
            new String[] {
              "secureboot",
              "--root",
              root.toString(),
              "--dkms-tree",
              dkms.toString(),
              "--kernel",
              KERNEL,
              "--certificate",
              cert.toString()
            },
            new PrintWriter(out),
            new PrintWriter(err));

    assertThat(err.toString()).isEmpty();
    assertThat(rc).isZero();
    assertThat(out.toString())
        .isEqualTo(
            String.join(
                "\n",
                "Secure Boot: on",
                "Kernel " + KERNEL + ": loads only modules signed by a key it trusts",
                "",
                "Signing certificate: " + cert,
                "  subject: CN=DKMS module signing key",
                "  SHA-1:   " + mok.sha1(),
                "  SHA-256: " + mok.sha256(),
                "  enrolled: pending. At the next boot MokManager asks to enrol it: choose",
                "  \"Enroll MOK\" and type the password given to mokutil --import.",
                "",
                "DKMS modules installed for " + KERNEL + ":",
                "  hello/1.0 hello.ko: after enrolment: signed by CN=DKMS module signing key,"
                    + " waiting in MokNew for the next boot",
                "  hello/1.0 plain.ko: will NOT load: not signed",
                ""));
  }

  @Test
  void efiWithoutReadableVariablesExitsOne() throws Exception {
    Files.createDirectories(root.resolve("sys/firmware/efi/efivars"));
    StringWriter out = new StringWriter();
    int rc =
        JdkmsCommand.run(
            new String[] {
              "secureboot",
              "--root",
              root.toString(),
              "--dkms-tree",
              root.resolve("dkms").toString(),
              "-k",
              KERNEL,
              "--certificate",
              root.resolve("none.pub").toString()
            },
            new PrintWriter(out),
            new PrintWriter(new StringWriter()));
    assertThat(rc).isOne();
    assertThat(out.toString())
        .startsWith("Secure Boot: unknown (the EFI variables cannot be read)\n")
        .endsWith(
            "Not readable:\n  efivarfs is not mounted at "
                + root.resolve("sys/firmware/efi/efivars")
                + "\n");
  }

  @Test
  void withoutEfiTheStateIsStillKnown() throws Exception {
    StringWriter out = new StringWriter();
    int rc =
        JdkmsCommand.run(
            new String[] {
              "secureboot",
              "--root",
              root.toString(),
              "--dkms-tree",
              root.resolve("dkms").toString(),
              "-k",
              KERNEL,
              "--certificate",
              root.resolve("none.pub").toString()
            },
            new PrintWriter(out),
            new PrintWriter(new StringWriter()));
    assertThat(rc).isZero();
    assertThat(out.toString()).startsWith("Secure Boot: off (not an EFI system)\n");
  }
}
