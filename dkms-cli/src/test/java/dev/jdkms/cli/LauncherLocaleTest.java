package dev.jdkms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher under the C locale of kernel hooks: a real JVM started by {@code bin/dkms} loads a
 * tarball whose source file is named {@code café.c}, while the dkms.conf bash still sees the
 * caller's {@code LC_ALL=C}. Without the launcher the same call ends in one clear line.
 */
class LauncherLocaleTest {
  private static final String CAFE = "caf\u00e9.c";

  @TempDir Path dir;
  Path home;
  Path tarball;

  @BeforeEach
  void install() throws IOException {
    home = dir.resolve("home");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    Files.copy(Path.of("src/main/dist/bin/dkms"), home.resolve("bin/dkms"));
    Files.setPosixFilePermissions(
        home.resolve("bin/dkms"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(
        home.resolve("lib/java.env"),
        "JDKMS_JAVA='"
            + javaBinary()
            + "'\nJDKMS_JAVA_FEATURE="
            + Runtime.version().feature()
            + "\n");
    classPathJar(home.resolve("lib/dkms.jar"));
    tarball = dir.resolve("foo.tar");
    writeTarball(tarball);
  }

  @Test
  void theLauncherLoadsNonAsciiNamesUnderTheCLocaleAndBashKeepsIt() throws Exception {
    Result r = run(List.of(home.resolve("bin/dkms").toString()), Map.of("LC_ALL", "C"));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).contains("dkms.conf sees LC_ALL=C;").doesNotContain("internal error");
    try (Stream<Path> s = Files.list(dir.resolve("src/foo-1.0"))) {
      List<String> names = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
      assertThat(names).contains(CAFE);
    }
  }

  @Test
  void anUnsetLcAllStaysUnsetForBash() throws Exception {
    Result r = run(List.of(home.resolve("bin/dkms").toString()), Map.of("LANG", "C"));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).contains("dkms.conf sees LC_ALL=<unset>;");
  }

  @Test
  void withoutTheLauncherTheCLocaleGetsOneClearLine() throws Exception {
    List<String> java =
        List.of(
            javaBinary(), "-cp", System.getProperty("java.class.path"), "dev.jdkms.cli.DkmsMain");
    Result r = run(java, Map.of("LC_ALL", "C"));
    assertThat(r.status()).isNotZero();
    assertThat(r.err())
        .contains("member dkms_source_tree/" + CAFE)
        .contains("file-name encoding")
        .doesNotContain("internal error")
        .doesNotContain("\tat ");
  }

  @Test
  void jdkmsNamesANonAsciiModuleUnderTheCLocale() throws Exception {
    Files.copy(Path.of("src/main/dist/bin/jdkms"), home.resolve("bin/jdkms"));
    Files.setPosixFilePermissions(
        home.resolve("bin/jdkms"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path module = Files.writeString(dir.resolve("modul\u00e9.ko"), "not an ELF file");
    ProcessBuilder pb =
        new ProcessBuilder(
            home.resolve("bin/jdkms").toString(),
            "kabi",
            "check",
            "-k",
            "6.1.0",
            module.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.startsWith("JDKMS"));
    pb.environment().put("LC_ALL", "C");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isNotZero();
    assertThat(err)
        .contains(module + ": not an ELF file")
        .doesNotContain("internal error")
        .doesNotContain("file-name encoding");
  }

  record Result(int status, String err) {}

  private Result run(List<String> command, Map<String, String> locale) throws Exception {
    List<String> argv = new ArrayList<>(command);
    argv.addAll(
        List.of(
            "ldtarball",
            tarball.toString(),
            "--dkmstree",
            Files.createDirectories(dir.resolve("tree")).toString(),
            "--sourcetree",
            Files.createDirectories(dir.resolve("src")).toString()));
    ProcessBuilder pb = new ProcessBuilder(argv);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.startsWith("JDKMS"));
    env.putAll(locale);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), err);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A jar holding only a manifest whose Class-Path is this test's class path. */
  private static void classPathJar(Path jar) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    String cp =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(e -> Path.of(e).toAbsolutePath().toUri().toString())
            .collect(Collectors.joining(" "));
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, m)) {
      j.flush();
    }
  }

  private static void writeTarball(Path tar) throws IOException {
    String conf =
        "PACKAGE_NAME=foo\nPACKAGE_VERSION=1.0\nBUILT_MODULE_NAME[0]=foo\n"
            + "DEST_MODULE_LOCATION[0]=/updates\n"
            + "echo \"dkms.conf sees LC_ALL=${LC_ALL-<unset>};\" >&2\n";
    try (TarArchiveOutputStream t =
        new TarArchiveOutputStream(Files.newOutputStream(tar), "UTF-8")) {
      add(t, "dkms_source_tree/dkms.conf", conf);
      add(t, "dkms_source_tree/" + CAFE, "int x;\n");
    }
  }

  private static void add(TarArchiveOutputStream t, String name, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(b.length);
    e.setMode(0644);
    t.putArchiveEntry(e);
    t.write(b);
    t.closeArchiveEntry();
  }
}
