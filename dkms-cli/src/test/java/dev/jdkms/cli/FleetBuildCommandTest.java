package dev.jdkms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdkms fleet build} refuses bad input with one line and its exit status, before anything is
 * unpacked or built, and leaves no output behind. (Building is tested in FleetDebTest.)
 */
class FleetBuildCommandTest {
  @TempDir Path dir;
  Path source;
  Path key;
  Path cert;
  Path out;

  record Run(int status, String out, String err) {}

  @BeforeEach
  void files() throws Exception {
    source = Files.createDirectories(dir.resolve("hello-1.0"));
    Files.writeString(source.resolve("dkms.conf"), "PACKAGE_NAME=hello\nPACKAGE_VERSION=1.0\n");
    key = Files.writeString(dir.resolve("fleet.key"), "not read before the build");
    cert = Files.writeString(dir.resolve("fleet.der"), "not read before the build");
    out = dir.resolve("out");
  }

  Run fleet(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "fleet";
    all[1] = "build";
    System.arraycopy(args, 0, all, 2, args.length);
    int rc = JdkmsCommand.run(all, new PrintWriter(o), new PrintWriter(e));
    return new Run(rc, o.toString(), e.toString());
  }

  @Test
  void aMissingKeyIsOneLine() {
    Run r =
        fleet(
            "--source",
            source.toString(),
            "-k",
            "6.1.0-57-amd64",
            "--key",
            dir.resolve("nokey").toString(),
            "--cert",
            cert.toString(),
            "-o",
            out.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "jdkms fleet build: the signing key (--key) "
                + dir.resolve("nokey")
                + " is not a readable file\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void aSourceWithoutDkmsConfIsOneLine() {
    Run r =
        fleet(
            "--source",
            dir.toString(),
            "-k",
            "6.1.0-57-amd64",
            "--key",
            key.toString(),
            "--cert",
            cert.toString(),
            "-o",
            out.toString());
    assertThat(r.status()).isEqualTo(4);
    assertThat(r.err()).isEqualTo("jdkms fleet build: no dkms.conf in " + dir + "\n");
  }

  @Test
  void aKernelWithoutHeadersSaysWhereHeadersComeFrom() {
    Run r =
        fleet(
            "--source",
            source.toString(),
            "-k",
            "1.2.3-99-nosuch",
            "--key",
            key.toString(),
            "--cert",
            cert.toString(),
            "-o",
            out.toString());
    assertThat(r.status()).isEqualTo(6);
    assertThat(r.err())
        .isEqualTo(
            "jdkms fleet build: no headers for kernel 1.2.3-99-nosuch: install"
                + " linux-headers-1.2.3-99-nosuch or give its packages with --headers (found in"
                + " them: none)\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void aMissingHeaderPackageAndAnotherFormatAreRefused() {
    Run deb =
        fleet(
            "--source",
            source.toString(),
            "-k",
            "6.1.0-57-amd64",
            "--headers",
            dir.resolve("none.deb").toString(),
            "--key",
            key.toString(),
            "--cert",
            cert.toString(),
            "-o",
            out.toString());
    assertThat(deb.status()).isEqualTo(2);
    assertThat(deb.err())
        .isEqualTo("jdkms fleet build: no such header package: " + dir.resolve("none.deb") + "\n");
    Run rpm =
        fleet(
            "--format",
            "rpm,zip",
            "--source",
            source.toString(),
            "-k",
            "6.1.0-57-amd64",
            "--key",
            key.toString(),
            "--cert",
            cert.toString(),
            "-o",
            out.toString());
    assertThat(rpm.status()).isEqualTo(2);
    assertThat(rpm.err())
        .isEqualTo(
            "jdkms fleet build: --format rpm,zip: unknown format 'zip' (expected deb, rpm,"
                + " pacman, or several separated by commas)\n");
  }

  @Test
  void aModuleNotAddedToDkmsIsOneLine() {
    Run r =
        fleet(
            "-m",
            "jdkms-fleet-nosuch/1.0",
            "-k",
            "6.1.0-57-amd64",
            "--key",
            key.toString(),
            "--cert",
            cert.toString(),
            "-o",
            out.toString());
    assertThat(r.status()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "jdkms fleet build: -m jdkms-fleet-nosuch/1.0: not added to DKMS"
                + " (no /usr/src/jdkms-fleet-nosuch-1.0)\n");
  }

  @Test
  void helpNamesTheOptionsAndMissingOnesAreUsageErrors() {
    Run help = fleet("--help");
    assertThat(help.status()).isZero();
    assertThat(help.out())
        .contains("Usage: jdkms fleet build")
        .contains("--headers=DEB")
        .contains("--key=FILE")
        .contains("NAME-modules-K");
    Run missing = fleet("--source", source.toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "jdkms fleet build: missing --key FILE, --cert FILE, --out DIR"
                + " (jdkms fleet build --help shows them all)\n");
    Run noKernel =
        fleet(
            "--source",
            source.toString(),
            "--key",
            key.toString(),
            "--cert",
            cert.toString(),
            "-o",
            out.toString());
    assertThat(noKernel.status()).isEqualTo(2);
    assertThat(noKernel.err())
        .isEqualTo("jdkms fleet build: no kernel given (-k K, once per kernel)\n");
  }
}
