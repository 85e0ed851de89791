package dev.jdkms.core.tarball;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jdkms.core.tarball.TarballException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every hostile archive is refused, and nothing appears outside the extraction directory. */
class SafeExtractorTest {
  @TempDir Path base;
  Path into;
  Path archive;

  @BeforeEach
  void setUp() throws IOException {
    into = Files.createDirectory(base.resolve("x"));
    archive = base.resolve("a.tar");
  }

  private TarballException refused(TarBuilder t, SafeExtractor.Limits limits) throws IOException {
    t.writeTo(archive);
    TreeCopier.delete(into);
    Files.createDirectory(into);
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> new SafeExtractor(limits).extract(archive, into));
    assertThat(thrown).isInstanceOf(TarballException.class);
    assertThat(entries(base)).containsExactlyInAnyOrder("x", "a.tar");
    return (TarballException) thrown;
  }

  private TarballException refused(TarBuilder t) throws IOException {
    return refused(t, SafeExtractor.Limits.DEFAULT);
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void extractsFilesDirectoriesLinksAndModes() throws Exception {
    new TarBuilder()
        .dir("./")
        .dir("./src/")
        .file("./src/dkms.conf", "PACKAGE_NAME=x\n")
        .file("./src/run.sh", "#!/bin/sh\n", 04755)
        .symlink("./src/link", "dkms.conf")
        .symlink("./src/sub/up", "../run.sh")
        .hardlink("./src/hard", "./src/dkms.conf")
        .writeTo(archive);
    new SafeExtractor().extract(archive, into);
    Path src = into.resolve("src");
    assertThat(src.resolve("dkms.conf")).hasContent("PACKAGE_NAME=x");
    assertThat(src.resolve("hard")).hasContent("PACKAGE_NAME=x");
    assertThat(Files.readSymbolicLink(src.resolve("link"))).isEqualTo(Path.of("dkms.conf"));
    assertThat(Files.readSymbolicLink(src.resolve("sub/up"))).isEqualTo(Path.of("../run.sh"));
    // set-id bits are dropped
    assertThat(Files.getAttribute(src.resolve("run.sh"), "unix:mode")).isEqualTo(0100755);
  }

  @Test
  void absoluteMemberPath() throws Exception {
    String evil = "/tmp/jdkms-evil-" + UUID.randomUUID();
    TarballException e = refused(new TarBuilder().file(evil, "x"));
    assertThat(e.kind()).isEqualTo(Kind.UNSAFE);
    assertThat(e.getMessage()).contains("absolute path");
    assertThat(Path.of(evil)).doesNotExist();
  }

  @Test
  void dotDotComponent() throws Exception {
    TarballException e = refused(new TarBuilder().dir("a").file("a/../../escaped", "x"));
    assertThat(e.kind()).isEqualTo(Kind.UNSAFE);
    assertThat(e.getMessage()).contains("'..'");
    assertThat(base.getParent().resolve("escaped")).doesNotExist();
  }

  @Test
  void devicesAndFifos() throws Exception {
    assertThat(refused(new TarBuilder().special("tty", TarConstants.LF_CHR)).getMessage())
        .contains("character device");
    assertThat(refused(new TarBuilder().special("sda", TarConstants.LF_BLK)).getMessage())
        .contains("block device");
    assertThat(refused(new TarBuilder().special("pipe", TarConstants.LF_FIFO)).getMessage())
        .contains("fifo");
    assertThat(refused(new TarBuilder().special("vol", (byte) 'M')).getMessage())
        .contains("unsupported type");
  }

  @Test
  void absoluteSymlink() throws Exception {
    TarballException e = refused(new TarBuilder().symlink("etc", "/etc"));
    assertThat(e.getMessage()).contains("symbolic link pointing outside");
  }

  @Test
  void symlinkClimbingOut() throws Exception {
    refused(new TarBuilder().dir("a").symlink("a/up", "../../.."));
    refused(new TarBuilder().symlink("up", ".."));
  }

  @Test
  void dotDotAfterALinkIsRefusedEvenIfTheTextStaysInside() throws Exception {
    // s -> . is harmless, but t -> s/../x would leave the tree through s
    refused(new TarBuilder().symlink("s", ".").symlink("t", "s/../x"));
  }

  @Test
  void memberWrittenThroughASymlink() throws Exception {
    TarballException e =
        refused(new TarBuilder().dir("d").symlink("link", "d").file("link/passwd", "x"));
    assertThat(e.getMessage()).contains("through the symbolic link link");
  }

  @Test
  void memberBelowARegularFile() throws Exception {
    refused(new TarBuilder().file("f", "x").file("f/g", "y"));
  }

  @Test
  void symlinkReplacingAnEarlierDirectory() throws Exception {
    TarballException e = refused(new TarBuilder().dir("d").symlink("d", "/etc").file("d/x", "y"));
    assertThat(e.getMessage()).contains("more than once");
  }

  @Test
  void duplicateFile() throws Exception {
    refused(new TarBuilder().file("f", "x").file("f", "y"));
  }

  @Test
  void hardLinksOutsideOrToNothing() throws Exception {
    assertThat(refused(new TarBuilder().hardlink("h", "/etc/shadow")).getMessage())
        .contains("hard link outside");
    assertThat(refused(new TarBuilder().hardlink("h", "../x")).getMessage())
        .contains("hard link outside");
    assertThat(refused(new TarBuilder().hardlink("h", "missing")).getMessage())
        .contains("not a file before it");
    refused(new TarBuilder().dir("d").hardlink("h", "d"));
  }

  @Test
  void absurdSizes() throws Exception {
    TarballException e = refused(new TarBuilder().claimedSize("huge.ko", 1L << 50, 512));
    assertThat(e.kind()).isEqualTo(Kind.UNSAFE);
    assertThat(e.getMessage()).contains("too large");

    SafeExtractor.Limits small = new SafeExtractor.Limits(100, 150, 5);
    assertThat(refused(new TarBuilder().file("a", "x".repeat(101)), small).getMessage())
        .contains("too large");
    assertThat(
            refused(new TarBuilder().file("a", "x".repeat(100)).file("b", "x".repeat(100)), small)
                .getMessage())
        .contains("expands to more than 150 bytes");
    TarBuilder many = new TarBuilder();
    for (int i = 0; i < 6; i++) {
      many.dir("d" + i);
    }
    assertThat(refused(many, small).getMessage()).contains("more than 5 members");
    // hard links count with the size of what they copy
    assertThat(
            refused(
                    new TarBuilder().file("a", "x".repeat(80)).hardlink("b", "a"),
                    new SafeExtractor.Limits(100, 150, 10))
                .getMessage())
        .contains("expands");
  }

  @Test
  void truncatedArchive() throws Exception {
    TarballException e = refused(new TarBuilder().file("ok", "x").claimedSize("cut.ko", 4096, 512));
    assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
  }

  @Test
  void notAnArchive() throws Exception {
    Files.writeString(archive, "garbage\n");
    assertThatThrownBy(() -> new SafeExtractor().extract(archive, into))
        .isInstanceOfSatisfying(
            TarballException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_AN_ARCHIVE));
    Files.writeString(archive, "x".repeat(2000));
    assertThatThrownBy(() -> new SafeExtractor().extract(archive, into))
        .isInstanceOfSatisfying(
            TarballException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_AN_ARCHIVE));
    Files.write(archive, new byte[0]);
    assertThatThrownBy(() -> new SafeExtractor().extract(archive, into))
        .isInstanceOfSatisfying(
            TarballException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_AN_ARCHIVE));
    Path directory = Files.createDirectory(base.resolve("dir.tgz"));
    assertThatThrownBy(() -> new SafeExtractor().extract(directory, into))
        .isInstanceOfSatisfying(
            TarballException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_AN_ARCHIVE));
    assertThat(entries(into)).isEmpty();
  }

  @Test
  void namesWithControlCharactersOrTooLong() throws Exception {
    refused(new TarBuilder().file("evil\nname", "x"));
    refused(new TarBuilder().file("a".repeat(256), "x"));
    refused(new TarBuilder().file(("d/").repeat(2100) + "f", "x"));
  }

  @Test
  void theTopMayOnlyBeADirectory() throws Exception {
    refused(new TarBuilder().file(".", "x"));
    refused(new TarBuilder().symlink(".", "/"));
  }

  @Test
  void directoriesKeepOwnerAccess() throws Exception {
    new TarBuilder().dir("ro").file("ro/f", "x").writeTo(archive);
    new SafeExtractor().extract(archive, into);
    assertThat(Files.isDirectory(into.resolve("ro"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    int mode = (Integer) Files.getAttribute(into.resolve("ro"), "unix:mode");
    assertThat(mode & 0700).isEqualTo(0700);
  }
}
