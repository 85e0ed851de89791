package dev.jdkms.core.tarball;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.core.compress.Compression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What TarballWriter writes, SafeExtractor reads back identically; GNU tar reads jdkms's archives
 * and jdkms reads GNU tar's (with upstream mktarball's layout and flags).
 */
class TarballRoundTripTest {
  /** A non-ASCII name when the JVM can write one (it cannot in the C locale). */
  private static final String UNICODE =
      "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))
          ? "\u00fcn\u00efc\u00f6d\u00e9.h"
          : "unicode.h";

  @TempDir Path tmp;

  /** An upstream-shaped module tree: built kernel dir and source with a link and a long name. */
  private Path sampleTree() throws IOException {
    Path built = tmp.resolve("tree/6.1.0-56-amd64/x86_64");
    Files.createDirectories(built.resolve("module"));
    Files.createDirectories(built.resolve("log"));
    Files.write(built.resolve("module/dkms_test.ko"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
    Files.writeString(built.resolve("module/Module.symvers"), "");
    Files.writeString(built.resolve("log/make.log"), "DKMS (dkms-3.4.3) make.log\n");
    Path src = Files.createDirectories(tmp.resolve("src/dkms_test-1.0"));
    Files.writeString(
        src.resolve("dkms.conf"), "PACKAGE_NAME=\"dkms_test\"\nPACKAGE_VERSION=\"1.0\"\n");
    Files.writeString(src.resolve("Makefile"), "obj-m := dkms_test.o\n");
    Path script = src.resolve("post-add.sh");
    Files.writeString(script, "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
    Files.createDirectories(src.resolve("include/sub"));
    Files.writeString(src.resolve("include/sub/" + "x".repeat(120) + ".h"), "#define X 1\n");
    Files.writeString(src.resolve("include/sub/" + UNICODE), "\n");
    Files.createDirectories(src.resolve("empty"));
    Files.createSymbolicLink(src.resolve("include/link.h"), Path.of("sub/" + UNICODE));
    Files.setLastModifiedTime(src.resolve("Makefile"), FileTime.fromMillis(1_600_000_000_000L));
    return src;
  }

  private void write(Path archive) throws IOException {
    Path src = sampleTree();
    new TarballWriter()
        .directory(DkmsTarball.MAIN_TREE, 0755)
        .directory(DkmsTarball.MAIN_TREE + "/6.1.0-56-amd64", 0755)
        .tree(
            DkmsTarball.MAIN_TREE + "/6.1.0-56-amd64/x86_64",
            tmp.resolve("tree/6.1.0-56-amd64/x86_64"))
        .tree(DkmsTarball.SOURCE_TREE, src)
        .directory(DkmsTarball.BINARIES_ONLY, 0755)
        .file(
            DkmsTarball.BINARIES_ONLY + "/PACKAGE_NAME",
            "dkms_test\n".getBytes(StandardCharsets.UTF_8),
            0644)
        .copyOf(DkmsTarball.BINARIES_ONLY + "/dkms.conf", src.resolve("dkms.conf"))
        .write(archive);
  }

  private void assertSample(Path root) throws IOException {
    Path src = tmp.resolve("src/dkms_test-1.0");
    Path x = root.resolve(DkmsTarball.SOURCE_TREE);
    assertThat(listing(x)).isEqualTo(listing(src));
    for (String f : List.of("dkms.conf", "Makefile", "post-add.sh", "include/sub/" + UNICODE)) {
      assertThat(x.resolve(f)).hasSameBinaryContentAs(src.resolve(f));
      assertThat(Files.getPosixFilePermissions(x.resolve(f)))
          .isEqualTo(Files.getPosixFilePermissions(src.resolve(f)));
    }
    assertThat(Files.getLastModifiedTime(x.resolve("Makefile")).toMillis())
        .isEqualTo(1_600_000_000_000L);
    assertThat(Files.readSymbolicLink(x.resolve("include/link.h")))
        .isEqualTo(Path.of("sub/" + UNICODE));
    Path built = root.resolve(DkmsTarball.MAIN_TREE + "/6.1.0-56-amd64/x86_64");
    assertThat(built.resolve("module/dkms_test.ko"))
        .hasSameBinaryContentAs(tmp.resolve("tree/6.1.0-56-amd64/x86_64/module/dkms_test.ko"));
    assertThat(built.resolve("log/make.log")).hasContent("DKMS (dkms-3.4.3) make.log");
    assertThat(root.resolve(DkmsTarball.BINARIES_ONLY + "/PACKAGE_NAME")).hasContent("dkms_test");
    assertThat(root.resolve(DkmsTarball.BINARIES_ONLY + "/dkms.conf"))
        .hasSameBinaryContentAs(src.resolve("dkms.conf"));
    DkmsTarball t = new DkmsTarball(root);
    assertThat(t.hasMainTree()).isTrue();
    assertThat(t.built())
        .extracting(DkmsTarball.Built::kernel, DkmsTarball.Built::arch)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("6.1.0-56-amd64", "x86_64"));
  }

  /** Relative paths with a type mark, sorted. */
  private static List<String> listing(Path top) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(top)) {
      for (Path p : s.sorted().toList()) {
        String kind =
            Files.isSymbolicLink(p)
                ? "@"
                : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "";
        out.add(top.relativize(p) + kind);
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"t.dkms.tar.gz", "t.tgz", "t.tar.bz2", "t.tar.xz", "t.tar", "t.tar.lzma"})
  void writeThenRead(String name) throws Exception {
    Path archive = tmp.resolve(name);
    write(archive);
    Path into = Files.createDirectory(tmp.resolve("into"));
    new SafeExtractor().extract(archive, into);
    assertSample(into);
    assertThat(Files.getPosixFilePermissions(archive))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void zstdThroughTheZstdProgram() throws Exception {
    assumeTrue(onPath("zstd"), "zstd is not installed");
    writeThenRead("t.tar.zst");
    assertThat(Compression.detect(Files.readAllBytes(tmp.resolve("t.tar.zst"))))
        .isEqualTo(Compression.ZSTD);
  }

  @Test
  void aFailedWriteLeavesNothing() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    TarballWriter w = new TarballWriter().tree("missing", tmp.resolve("does-not-exist"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.write(out.resolve("x.tar.gz")))
        .isInstanceOf(IOException.class);
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"t.tar.gz", "t.tar.bz2", "t.tar.xz", "t.tar"})
  void gnuTarReadsJdkmsTarballs(String name) throws Exception {
    assumeTrue(onPath("tar"), "GNU tar is not installed");
    Path archive = tmp.resolve(name);
    write(archive);
    Path into = Files.createDirectory(tmp.resolve("gnu"));
    assertThat(run("tar", "-xaf", archive.toString(), "-C", into.toString())).isZero();
    assertSample(into);
    String list = output("tar", "-taf", archive.toString());
    assertThat(list).startsWith("./\n./dkms_main_tree/\n./dkms_main_tree/6.1.0-56-amd64/\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"t.dkms.tar.gz", "t.tar.xz", "t.tar.bz2", "t.tar"})
  void jdkmsReadsGnuTarballsWithUpstreamsLayout(String name) throws Exception {
    assumeTrue(onPath("tar"), "GNU tar is not installed");
    // mktarball's layout, made the way upstream makes it: cp into a temp dir, tar -C dir -caf
    Path src = sampleTree();
    Path stage = Files.createDirectory(tmp.resolve("stage"));
    Files.createDirectories(stage.resolve(DkmsTarball.MAIN_TREE + "/6.1.0-56-amd64"));
    assertThat(
            run(
                "cp",
                "-rf",
                tmp.resolve("tree/6.1.0-56-amd64/x86_64").toString(),
                stage.resolve(DkmsTarball.MAIN_TREE + "/6.1.0-56-amd64").toString()))
        .isZero();
    assertThat(run("cp", "-fprT", src + "/", stage.resolve(DkmsTarball.SOURCE_TREE).toString()))
        .isZero();
    Path bin = Files.createDirectory(stage.resolve(DkmsTarball.BINARIES_ONLY));
    Files.writeString(bin.resolve("PACKAGE_NAME"), "dkms_test\n");
    Files.copy(src.resolve("dkms.conf"), bin.resolve("dkms.conf"));
    Path archive = tmp.resolve(name);
    assertThat(run("tar", "-C", stage.toString(), "-caf", archive.toString(), ".")).isZero();

    Path into = Files.createDirectory(tmp.resolve("into"));
    new SafeExtractor().extract(archive, into);
    assertSample(into);
  }

  @Test
  void gnuTarsOwnLongNamesAndHardLinks() throws Exception {
    assumeTrue(onPath("tar"), "GNU tar is not installed");
    Path stage =
        Files.createDirectories(tmp.resolve("stage/" + "d".repeat(100) + "/" + "e".repeat(100)));
    Files.writeString(stage.resolve("f".repeat(150)), "long\n");
    Files.createLink(stage.resolve("hard"), stage.resolve("f".repeat(150)));
    Path archive = tmp.resolve("gnu.tgz");
    assertThat(
            run(
                "tar",
                "--format=gnu",
                "-C",
                tmp.resolve("stage").toString(),
                "-czf",
                archive.toString(),
                "."))
        .isZero();
    Path into = Files.createDirectory(tmp.resolve("into"));
    new SafeExtractor().extract(archive, into);
    Path d = into.resolve("d".repeat(100) + "/" + "e".repeat(100));
    assertThat(d.resolve("f".repeat(150))).hasContent("long");
    assertThat(d.resolve("hard")).hasContent("long");
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static int run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private static String output(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
