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
 * {@code jdkms fleet source} writes a package per tree and format, and refuses bad input with one
 * line and its exit status, writing nothing. (The packages' contents: fleet's SourcePackagesTest;
 * installed by apt, dnf and pacman: SourcePackageTest.)
 */
class FleetSourceCommandTest {
  @TempDir Path dir;
  Path source;
  Path out;

  record Run(int status, String out, String err) {}

  @BeforeEach
  void files() throws Exception {
    source = Files.createDirectories(dir.resolve("hello-1.0"));
    Files.writeString(source.resolve("dkms.conf"), "PACKAGE_NAME=hello\nPACKAGE_VERSION=1.0\n");
    out = dir.resolve("out");
  }

  Run source(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "fleet";
    all[1] = "source";
    System.arraycopy(args, 0, all, 2, args.length);
    int rc = JdkmsCommand.run(all, new PrintWriter(o), new PrintWriter(e));
    return new Run(rc, o.toString(), e.toString());
  }

  @Test
  void aPackagePerFormatNamedOnStdout() {
    Run r = source("--source", source.toString(), "--format", "deb,pacman", "-o", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "  package "
                + out.resolve("hello-dkms_1.0-1_all.deb")
                + "\n  package "
                + out.resolve("hello-dkms-1.0-1-any.pkg.tar.zst")
                + "\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aSourceWithoutDkmsConfIsOneLine() {
    Run r = source("--source", dir.toString(), "-o", out.toString());
    assertThat(r.status()).isEqualTo(4);
    assertThat(r.err()).isEqualTo("jdkms fleet source: no dkms.conf in " + dir + "\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void anUnsafeVersionIsOneLine() throws Exception {
    Files.writeString(source.resolve("dkms.conf"), "PACKAGE_NAME=hello\nPACKAGE_VERSION='1 0'\n");
    Run r = source("--source", source.toString(), "-o", out.toString());
    assertThat(r.status()).isEqualTo(8);
    assertThat(r.err())
        .isEqualTo(
            "jdkms fleet source: "
                + source
                + ": PACKAGE_VERSION '1 0' is not a safe version ([A-Za-z0-9._+~-])\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void missingOutputAndNoSourceAreOneLine() {
    Run r = source("--source", source.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "jdkms fleet source: missing --out DIR (jdkms fleet source --help shows every"
                + " option)\n");
    Run none = source("-o", out.toString());
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("jdkms fleet source: no module source given (--source DIR)\n");
    Run format = source("--source", source.toString(), "--format", "tgz", "-o", out.toString());
    assertThat(format.status()).isEqualTo(2);
    assertThat(format.err()).startsWith("jdkms fleet source: --format tgz: unknown format 'tgz'");
    assertThat(out).doesNotExist();
  }
}
