package dev.jdkms.pacman.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageBuilderTest {
  @TempDir Path tmp;

  private Path sample() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("tree/sub"));
    Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(dir.resolve("link"), Path.of("../elsewhere"));
    PkgInfo info =
        PkgInfo.of("demo", "1.2_rc1-3", "x86_64")
            .withDescription("a demo")
            .withProvides("dkms=3.4.3", "sh")
            .withConflicts("dkms")
            .withDepends("java-runtime-headless>=17", "make")
            .withBackup("etc/demo.conf")
            .withBuildDate(1_700_000_000L);
    return new PackageBuilder(info)
        .installScript("post_install() { :; }\n")
        .file("etc/demo.conf", 0644, "x=1\n")
        .symlink("usr/bin/demo", "../lib/demo/demo")
        .tree("usr/lib/demo/tree", tmp.resolve("tree"))
        .directory("var/lib/demo", 0700)
        .write(tmp.resolve(info.fileName()));
  }

  @Test
  void membersAreMetadataFirstThenTheTreeInPathOrderOwnedByRoot() throws IOException {
    PackageReader r = PackageReader.read(sample());
    assertThat(r.names())
        .containsExactly(
            ".PKGINFO",
            ".MTREE",
            ".INSTALL",
            "etc/",
            "etc/demo.conf",
            "usr/",
            "usr/bin/",
            "usr/bin/demo",
            "usr/lib/",
            "usr/lib/demo/",
            "usr/lib/demo/tree/",
            "usr/lib/demo/tree/sub/",
            "usr/lib/demo/tree/sub/link",
            "usr/lib/demo/tree/sub/run.sh",
            "var/",
            "var/lib/",
            "var/lib/demo/");
    for (TarArchiveEntry e : r.entries().values()) {
      assertThat(e.getLongUserId()).as(e.getName()).isZero();
      assertThat(e.getLongGroupId()).as(e.getName()).isZero();
      assertThat(e.getModTime().getTime()).as(e.getName()).isEqualTo(1_700_000_000_000L);
    }
    assertThat(r.entries().get("usr/lib/demo/tree/sub/run.sh").getMode() & 07777).isEqualTo(0750);
    assertThat(r.entries().get("var/lib/demo/").getMode() & 07777).isEqualTo(0700);
    assertThat(r.entries().get("usr/bin/demo").isSymbolicLink()).isTrue();
    assertThat(r.entries().get("usr/bin/demo").getLinkName()).isEqualTo("../lib/demo/demo");
    assertThat(r.entries().get("usr/lib/demo/tree/sub/link").getLinkName())
        .isEqualTo("../elsewhere");
    assertThat(r.text(".INSTALL")).isEqualTo("post_install() { :; }\n");
  }

  @Test
  void pkgInfoNamesEveryRelationAndTheInstalledSize() throws IOException {
    PackageReader r = PackageReader.read(sample());
    assertThat(r.text(".PKGINFO").lines())
        .contains(
            "pkgname = demo",
            "pkgver = 1.2_rc1-3",
            "arch = x86_64",
            "builddate = 1700000000",
            "size = " + ("x=1\n".length() + "#!/bin/sh\n".length()),
            "provides = dkms=3.4.3",
            "provides = sh",
            "conflict = dkms",
            "depend = java-runtime-headless>=17",
            "depend = make",
            "backup = etc/demo.conf");
  }

  @Test
  void mtreeListsEveryMemberWithDigests() throws IOException {
    PackageReader r = PackageReader.read(sample());
    String mtree =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(r.contents().get(".MTREE")))
                .readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(mtree.lines().toList())
        .startsWith("#mtree", "/set type=file uid=0 gid=0 mode=644")
        .contains(
            "./etc/demo.conf time=1700000000.0 size=4" + mtreeDigests("x=1\n"),
            "./usr/bin/demo time=1700000000.0 mode=777 type=link link=../lib/demo/demo",
            "./var/lib/demo time=1700000000.0 mode=700 type=dir")
        .anyMatch(l -> l.startsWith("./.PKGINFO time=1700000000.0 size="))
        .anyMatch(
            l -> l.startsWith("./usr/lib/demo/tree/sub/run.sh time=1700000000.0 mode=750 size=10"))
        .noneMatch(l -> l.startsWith("./.MTREE"));
  }

  private static String mtreeDigests(String content) {
    try {
      byte[] b = content.getBytes(StandardCharsets.UTF_8);
      return " md5digest="
          + java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("MD5").digest(b))
          + " sha256digest="
          + java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theSameInputGivesTheSameBytes() throws IOException {
    byte[] first = Files.readAllBytes(sample());
    Files.delete(tmp.resolve("tree/sub/link"));
    Files.delete(tmp.resolve("tree/sub/run.sh"));
    Files.delete(tmp.resolve("tree/sub"));
    Files.delete(tmp.resolve("tree"));
    assertThat(Files.readAllBytes(sample())).isEqualTo(first);
  }

  @Test
  void badPathsAndClashesAreRefused() {
    PackageBuilder b = new PackageBuilder(PkgInfo.of("demo", "1-1", "any"));
    assertThatThrownBy(() -> b.file("/etc/x", 0644, "")).hasMessageContaining("invalid");
    assertThatThrownBy(() -> b.file("usr/../etc/x", 0644, "")).hasMessageContaining("invalid");
    assertThatThrownBy(() -> b.file(".PKGINFO", 0644, "")).hasMessageContaining("invalid");
    b.symlink("usr/lib", "x");
    assertThatThrownBy(() -> b.file("usr/lib/y", 0644, "")).hasMessageContaining("not a directory");
    assertThatThrownBy(() -> PkgInfo.of("demo", "1.0", "any")).hasMessageContaining("pkgrel");
    assertThatThrownBy(() -> PkgInfo.of("demo", "1-1", "any").withDescription("a\nb").render(0))
        .hasMessageContaining("one line");
  }

  @Test
  void pacmanAndBsdtarReadThePackage() throws Exception {
    assumeTrue(onPath("pacman") && onPath("bsdtar"), "pacman and bsdtar are not installed");
    Path pkg = sample();
    // A database and configuration of its own: pacman creates DBPATH/local, never the host's.
    Path db = Files.createDirectories(tmp.resolve("db"));
    String info =
        run("pacman", "--config", "/dev/null", "--dbpath", db.toString(), "-Qip", pkg.toString());
    assertThat(info.lines())
        .anyMatch(l -> l.matches("Name +: demo"))
        .anyMatch(l -> l.matches("Version +: 1\\.2_rc1-3"))
        .anyMatch(l -> l.matches("Provides +: dkms=3\\.4\\.3 +sh"))
        .anyMatch(l -> l.matches("Depends On +: java-runtime-headless>=17 +make"))
        .anyMatch(l -> l.matches("Conflicts With +: dkms"))
        .anyMatch(l -> l.matches("Install Script +: Yes"));
    assertThat(run("bsdtar", "-tf", pkg.toString()).lines())
        .contains(".PKGINFO", ".MTREE", "usr/lib/demo/tree/sub/run.sh", "var/lib/demo/");
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
