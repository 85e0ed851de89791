package dev.jdkms.core.tarball;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.core.compress.Compression;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.dkms.Dkms;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.kernel.Distribution;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dkms mktarball} and {@code dkms ldtarball}/{@code add FILE} end to end, on a DKMS tree,
 * source tree and tmp dir inside {@code @TempDir}. The expected texts are upstream 3.4.3's (as
 * measured by running it); stdout and stderr go to one buffer, like the upstream suite's 2>&1.
 */
class TarballActionsTest {
  static final String M = "jdkms_tarball_test";
  static final String V = "1.0";
  static final String K = "6.1.0-99-test";
  static final String A = "x86_64";
  static final String CONF =
      "PACKAGE_NAME=\""
          + M
          + "\"\nPACKAGE_VERSION=\""
          + V
          + "\"\n"
          + "BUILT_MODULE_NAME[0]=\""
          + M
          + "\"\nDEST_MODULE_LOCATION[0]=\"/kernel/extra\"\n"
          + "AUTOINSTALL=\"yes\"\n";

  @TempDir Path tmp;
  Path dkmsTree;
  Path sourceTree;
  Path tmpLocation;
  DkmsTree tree;
  String output;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(isRoot(), "adding sources needs root, as upstream's check_root");
    dkmsTree = Files.createDirectories(tmp.resolve("var/lib/dkms"));
    sourceTree = Files.createDirectories(tmp.resolve("usr/src"));
    tmpLocation = Files.createDirectories(tmp.resolve("tmp"));
    Files.createDirectories(tmp.resolve("lib/modules"));
    tree = new DkmsTree(dkmsTree, sourceTree);
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs one dkms command the way DkmsMain does; the console output lands in {@link #output}. */
  private int dkms(String action, Consumer<DkmsRequest.Builder> options) throws IOException {
    DkmsRequest.Builder r = new DkmsRequest.Builder();
    r.action = action;
    r.arches.add(A);
    options.accept(r);
    Map<String, String> settings = new HashMap<>();
    settings.put("dkms_tree", dkmsTree.toString());
    settings.put("source_tree", sourceTree.toString());
    settings.put("install_tree", tmp.resolve("lib/modules").toString());
    settings.put("tmp_location", tmpLocation.toString());
    settings.put("parallel_jobs", "1");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Session s =
        new Session(
            Console.of(buf, buf),
            ChildEnvironment.fromProcess(),
            new Distribution("debian"),
            settings,
            r.build(),
            "");
    int rc;
    try {
      rc = Dkms.run(s);
    } catch (DkmsException e) {
      s.report(e);
      rc = e.exitCode();
    }
    output = buf.toString(StandardCharsets.UTF_8);
    return rc;
  }

  private static Consumer<DkmsRequest.Builder> module(String... kernels) {
    return r -> {
      r.module = M;
      r.moduleVersion = V;
      r.kernels.addAll(List.of(kernels));
    };
  }

  /** An added module, built for {@link #K}, with upstream's tree layout. */
  private void addedAndBuilt(String conf) throws IOException {
    Path src = Files.createDirectories(sourceTree.resolve(M + "-" + V));
    Files.writeString(src.resolve("dkms.conf"), conf);
    Files.writeString(src.resolve("Makefile"), "obj-m := " + M + ".o\n");
    Files.writeString(src.resolve(M + ".c"), "/* module */\n");
    Files.createDirectories(tree.buildDir(M, V));
    Files.createSymbolicLink(tree.sourceLink(M, V), src);
    Path built = tree.builtDir(M, V, K, A);
    Files.createDirectories(built.resolve("module"));
    Files.createDirectories(built.resolve("log"));
    Files.write(built.resolve("module/" + M + ".ko"), new byte[] {0x7f, 'E', 'L', 'F'});
    Files.writeString(built.resolve("log/make.log"), "make.log\n");
  }

  /** Forgets the module entirely (what remove + rm -rf /usr/src/M-V leave). */
  private void forget() throws IOException {
    TreeCopier.delete(dkmsTree.resolve(M));
    TreeCopier.delete(sourceTree.resolve(M + "-" + V));
  }

  private static List<String> entries(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void assertNothingLeft() throws IOException {
    assertThat(entries(dkmsTree)).doesNotContain(M);
    assertThat(entries(sourceTree)).isEmpty();
    assertThat(entries(tmpLocation)).isEmpty();
  }

  @Test
  void mktarballWithDefaults() throws Exception {
    addedAndBuilt(CONF);
    assertThat(dkms("mktarball", module(K))).isZero();
    String name = M + "-" + V + "-kernel" + K + "-" + A + ".dkms.tar.gz";
    assertThat(output)
        .isEqualTo(
            "Marking modules for "
                + K
                + " ("
                + A
                + ") for archiving...\n"
                + "\n"
                + "Marking "
                + dkmsTree
                + "/"
                + M
                + "/"
                + V
                + "/source for archiving...\n"
                + "\n"
                + "Tarball location: "
                + dkmsTree
                + "/"
                + M
                + "/"
                + V
                + "/tarball//"
                + name
                + "\n");
    Path archive = tree.versionDir(M, V).resolve("tarball/" + name);
    assertThat(Compression.detect(Files.readAllBytes(archive))).isEqualTo(Compression.GZIP);
    Path into = Files.createDirectory(tmp.resolve("x"));
    new SafeExtractor().extract(archive, into);
    assertThat(into.resolve("dkms_main_tree/" + K + "/" + A + "/module/" + M + ".ko")).exists();
    assertThat(into.resolve("dkms_main_tree/" + K + "/" + A + "/log/make.log"))
        .hasContent("make.log");
    assertThat(into.resolve("dkms_source_tree/dkms.conf")).hasContent(CONF.strip());
    assertThat(entries(into)).containsExactly("dkms_main_tree", "dkms_source_tree");
    assertThat(entries(tmpLocation)).isEmpty();
  }

  @Test
  void mktarballErrors() throws Exception {
    addedAndBuilt(CONF);
    assertThat(dkms("mktarball", module(K, "6.1.0-98-test"))).isEqualTo(6);
    assertThat(output)
        .isEqualTo(
            "Marking modules for "
                + K
                + " ("
                + A
                + ") for archiving...\n"
                + "\nError! No modules built for 6.1.0-98-test ("
                + A
                + ").\n"
                + "Modules must already be in the built state before using mktarball.\n");
    assertThat(
            dkms(
                "mktarball",
                r -> {
                  r.module = M;
                  r.moduleVersion = "2.0";
                  r.kernels.add(K);
                }))
        .isEqualTo(3);
    assertThat(output)
        .isEqualTo(
            "\nError! The module/version combo: " + M + "/2.0 is not located in the DKMS tree.\n");
    assertThat(dkms("mktarball", r -> r.kernels.add(K))).isEqualTo(1);
    assertThat(output)
        .startsWith("\nError! Arguments <module> and <module-version> are not specified.\n");
    assertThat(
            dkms(
                "mktarball",
                module(K)
                    .andThen(
                        r -> {
                          r.sourceOnly = true;
                          r.binariesOnly = true;
                        })))
        .isEqualTo(8);
    Path ro = Files.createFile(tmp.resolve("file"));
    assertThat(dkms("mktarball", module(K).andThen(r -> r.archive = ro + "/sub/x.tgz")))
        .isEqualTo(9);
    assertThat(output).endsWith("\nError! Missing write permissions for " + ro + "/sub.\n");
    Files.createDirectories(tmp.resolve("out/x.tgz"));
    assertThat(dkms("mktarball", module(K).andThen(r -> r.archive = tmp + "/out/x.tgz")))
        .isEqualTo(6);
    assertThat(output)
        .endsWith("Tarball location: " + tmp + "/out/x.tgz\n\nError! Failed to make tarball.\n");
    assertThat(entries(tmp.resolve("out"))).containsExactly("x.tgz");
  }

  @Test
  void mktarballBinariesOnlyAndSourceOnly() throws Exception {
    addedAndBuilt(CONF);
    Path bin = tmp.resolve("out/bin.tar.xz");
    assertThat(
            dkms(
                "mktarball",
                module(K)
                    .andThen(
                        r -> {
                          r.binariesOnly = true;
                          r.archive = bin.toString();
                        })))
        .isZero();
    assertThat(output)
        .isEqualTo(
            "Marking modules for "
                + K
                + " ("
                + A
                + ") for archiving...\n"
                + "\nCreating tarball structure to specifically accommodate binaries.\n"
                + "\nTarball location: "
                + bin
                + "\n");
    Path into = Files.createDirectory(tmp.resolve("b"));
    new SafeExtractor().extract(bin, into);
    assertThat(entries(into)).containsExactly("dkms_binaries_only", "dkms_main_tree");
    assertThat(entries(into.resolve("dkms_binaries_only")))
        .containsExactly("PACKAGE_NAME", "PACKAGE_VERSION", "dkms.conf");
    assertThat(into.resolve("dkms_binaries_only/PACKAGE_NAME")).hasContent(M);

    // a name without a directory goes to the module's tarball dir; --source-only has no kernels
    assertThat(
            dkms(
                "mktarball",
                module()
                    .andThen(
                        r -> {
                          r.sourceOnly = true;
                          r.archive = "src.tar.bz2";
                        })))
        .isZero();
    assertThat(output)
        .isEqualTo(
            "\nMarking "
                + tree.sourceLink(M, V)
                + " for archiving...\n"
                + "\nTarball location: "
                + tree.versionDir(M, V)
                + "/tarball//src.tar.bz2\n");
    Path src = tree.versionDir(M, V).resolve("tarball/src.tar.bz2");
    assertThat(Compression.detect(Files.readAllBytes(src))).isEqualTo(Compression.BZIP2);
  }

  @Test
  void ldtarballLoadsWhatMktarballMade() throws Exception {
    addedAndBuilt(CONF);
    Path archive = tmp.resolve("full.tgz");
    assertThat(dkms("mktarball", module(K).andThen(r -> r.archive = archive.toString()))).isZero();
    forget();

    assertThat(
            dkms(
                "ldtarball",
                r -> {
                  r.archive = archive.toString();
                  r.kernels.add(K);
                }))
        .isZero();
    assertThat(output)
        .isEqualTo(
            "\nLoading tarball for "
                + M
                + "/"
                + V
                + "\n"
                + "Loading "
                + tree.builtDir(M, V, K, A)
                + "...\n"
                + "Creating symlink "
                + tree.sourceLink(M, V)
                + " -> "
                + sourceTree
                + "/"
                + M
                + "-"
                + V
                + "\n");
    assertThat(tree.isAdded(M, V)).isTrue();
    assertThat(tree.isBuilt(M, V, K, A)).isTrue();
    assertThat(sourceTree.resolve(M + "-" + V + "/dkms.conf")).hasContent(CONF.strip());
    assertThat(entries(tmpLocation)).isEmpty();

    assertThat(dkms("ldtarball", r -> r.archive = archive.toString())).isEqualTo(8);
    assertThat(output).isEqualTo("\nError! " + M + "/" + V + " is already added!\nAborting.\n");

    // upstream quirk kept: --force reloads, then add_module refuses the added module (exit 3)
    assertThat(
            dkms(
                "ldtarball",
                r -> {
                  r.archive = archive.toString();
                  r.force = true;
                }))
        .isEqualTo(3);
    assertThat(output)
        .isEqualTo(
            "\nLoading tarball for "
                + M
                + "/"
                + V
                + "\n"
                + "\nForcing install of "
                + M
                + "/"
                + V
                + "\n"
                + "Loading "
                + tree.builtDir(M, V, K, A)
                + "...\n"
                + "\nError! DKMS tree already contains: "
                + M
                + "/"
                + V
                + "\n"
                + "You cannot add the same module/version combo more than once.\n");
    assertThat(tree.isAdded(M, V)).isTrue();
    assertThat(tree.isBuilt(M, V, K, A)).isTrue();
    assertThat(entries(tree.versionDir(M, V).resolve(K))).containsExactly(A);
    assertThat(entries(sourceTree)).containsExactly(M + "-" + V);
  }

  @Test
  void binariesOnlyTarballWithoutSourcesIsAddedAndBuilt() throws Exception {
    addedAndBuilt(CONF);
    Path archive = tmp.resolve("bin.tar.xz");
    assertThat(
            dkms(
                "mktarball",
                module(K)
                    .andThen(
                        r -> {
                          r.binariesOnly = true;
                          r.archive = archive.toString();
                        })))
        .isZero();
    forget();
    // what upstream's ldtarball leaves: a real source directory holding the dkms.conf
    Files.createDirectories(tree.sourceLink(M, V));
    Files.writeString(tree.sourceLink(M, V).resolve("dkms.conf"), CONF);

    assertThat(dkms("add", r -> r.archive = archive.toString())).isZero();
    Path src = sourceTree.resolve(M + "-" + V);
    assertThat(output)
        .isEqualTo(
            "\nLoading tarball for "
                + M
                + "/"
                + V
                + "\n"
                + "Creating "
                + src
                + "\n"
                + "Copying dkms.conf to "
                + src
                + " ...\n"
                + "Loading "
                + tree.builtDir(M, V, K, A)
                + "...\n"
                + "Creating symlink "
                + tree.sourceLink(M, V)
                + " -> "
                + src
                + "\n");
    assertThat(tree.isAdded(M, V)).isTrue();
    assertThat(tree.isBuilt(M, V, K, A)).isTrue();
    assertThat(entries(src)).containsExactly("dkms.conf");
    assertThat(entries(tree.versionDir(M, V))).containsExactly(K, "build", "source");
  }

  @Test
  void plainSourceTarball() throws Exception {
    Path stage = Files.createDirectories(tmp.resolve("stage/" + M + "-" + V));
    Files.writeString(stage.resolve("dkms.conf"), CONF);
    Files.writeString(stage.resolve("Makefile"), "obj-m := x.o\n");
    Path archive = tmp.resolve("plain.tar.gz");
    new TarballWriter().tree(M + "-" + V, stage).write(archive);

    assertThat(dkms("add", r -> r.archive = archive.toString())).isZero();
    assertThat(output)
        .isEqualTo(
            "Creating symlink "
                + tree.sourceLink(M, V)
                + " -> "
                + sourceTree
                + "/"
                + M
                + "-"
                + V
                + "\n");
    assertThat(tree.isAdded(M, V)).isTrue();
    assertThat(entries(sourceTree.resolve(M + "-" + V))).containsExactly("Makefile", "dkms.conf");
  }

  @Test
  void missingAndNonTarFiles() throws Exception {
    assertThat(dkms("ldtarball", r -> r.archive = tmp + "/none.tgz")).isEqualTo(2);
    assertThat(output).isEqualTo("\nError! " + tmp + "/none.tgz does not exist.\n");
    assertThat(dkms("ldtarball", r -> {})).isEqualTo(2);
    assertThat(output).isEqualTo("\nError!  does not exist.\n");

    Path garbage = Files.writeString(tmp.resolve("garbage.tgz"), "garbage\n");
    assertThat(dkms("ldtarball", r -> r.archive = garbage.toString())).isEqualTo(3);
    assertThat(output)
        .isEqualTo(
            "\nError! Tarball does not appear to be a correctly formed DKMS archive. No dkms.conf"
                + " found within it.\n"
                + garbage
                + " does not look like a tar archive.\n");
    Path noConf =
        new TarBuilder().dir("a").file("a/README", "x").writeTo(tmp.resolve("noconf.tar"));
    assertThat(dkms("ldtarball", r -> r.archive = noConf.toString())).isEqualTo(3);
    assertThat(output)
        .isEqualTo(
            "\nError! Tarball does not appear to be a correctly formed DKMS archive. No dkms.conf"
                + " found within it.\n");
    Path invalid =
        new TarBuilder()
            .dir("dkms_main_tree")
            .file("dkms_source_tree/README", "x")
            .writeTo(tmp.resolve("invalid.tar"));
    assertThat(dkms("ldtarball", r -> r.archive = invalid.toString())).isEqualTo(7);
    assertThat(output)
        .isEqualTo(
            "\nError! No valid dkms.conf in dkms_source_tree or dkms_binaries_only.\n"
                + invalid
                + " is not a valid DKMS tarball.\n");
    assertNothingLeft();
  }

  @Test
  void hostileTarballsWriteNothing() throws Exception {
    List<TarBuilder> hostile =
        List.of(
            new TarBuilder()
                .dir("dkms_main_tree")
                .file("dkms_source_tree/dkms.conf", CONF)
                .file("../../../../../../tmp/jdkms-escape", "x"),
            new TarBuilder()
                .dir("dkms_main_tree")
                .file("dkms_source_tree/dkms.conf", CONF)
                .symlink("dkms_source_tree/evil", "/etc/shadow"),
            new TarBuilder()
                .dir("dkms_main_tree")
                .file("dkms_source_tree/dkms.conf", CONF)
                .symlink("dkms_source_tree/up", "../dkms_main_tree"),
            new TarBuilder()
                .dir("dkms_main_tree/" + K)
                .symlink("dkms_main_tree/" + K + "/" + A, "../..")
                .file("dkms_source_tree/dkms.conf", CONF),
            new TarBuilder()
                .dir("dkms_main_tree/source/x")
                .file("dkms_source_tree/dkms.conf", CONF),
            new TarBuilder().file("src/dkms.conf", CONF).symlink("src/lib", "../other"),
            new TarBuilder().file("src/dkms.conf", CONF).special("src/null", (byte) '3'),
            new TarBuilder()
                .dir("dkms_main_tree")
                .file("dkms_source_tree/dkms.conf", "PACKAGE_NAME=..\nPACKAGE_VERSION=x\n"),
            new TarBuilder().file("src/dkms.conf", "PACKAGE_NAME=-rf\nPACKAGE_VERSION=1\n"));
    int i = 0;
    for (TarBuilder t : hostile) {
      Path archive = t.writeTo(tmp.resolve("hostile" + i++ + ".tar"));
      assertThat(dkms("ldtarball", r -> r.archive = archive.toString())).as(output).isEqualTo(7);
      assertThat(output).startsWith("\nError! Refusing to load " + archive + ": ");
      assertThat(output).endsWith(".\n" + archive + " is not a valid DKMS tarball.\n");
      assertThat(output.lines().filter(l -> l.startsWith("Error!"))).hasSize(1);
      assertNothingLeft();
    }
    assertThat(Path.of("/tmp/jdkms-escape")).doesNotExist();
  }

  @Test
  void aFailedAddTakesTheLoadBack() throws Exception {
    String duplicate =
        CONF + "BUILT_MODULE_NAME[1]=\"" + M + "\"\nDEST_MODULE_LOCATION[1]=\"/kernel/extra\"\n";
    Path archive =
        new TarBuilder()
            .dir("dkms_main_tree/" + K + "/" + A + "/module")
            .file("dkms_main_tree/" + K + "/" + A + "/module/x.ko", "ko")
            .file("dkms_source_tree/dkms.conf", duplicate)
            .writeTo(tmp.resolve("dup.tar"));
    assertThat(dkms("ldtarball", r -> r.archive = archive.toString())).isEqualTo(8);
    assertThat(output)
        .contains("Duplicate module")
        .endsWith(
            "\nError! Bad conf file.\nFile: "
                + sourceTree
                + "/"
                + M
                + "-"
                + V
                + "/dkms.conf does not represent a valid dkms.conf file.\n");
    assertNothingLeft();

    // with --force over an existing, unregistered source dir: the old one comes back
    Path old = Files.createDirectories(sourceTree.resolve(M + "-" + V));
    Files.writeString(old.resolve("marker"), "old\n");
    assertThat(
            dkms(
                "ldtarball",
                r -> {
                  r.archive = archive.toString();
                  r.force = true;
                }))
        .isEqualTo(8);
    assertThat(entries(old)).containsExactly("marker");
    assertThat(entries(dkmsTree)).doesNotContain(M);
    assertThat(entries(sourceTree)).containsExactly(M + "-" + V);
  }

  @Test
  void aFailedCopyTakesTheLoadBack() throws Exception {
    Path archive =
        new TarBuilder()
            .file("dkms_main_tree/" + K + "/" + A + "/module/x.ko", "ko")
            .file("dkms_main_tree/zz-blocked/" + A + "/module/x.ko", "ko")
            .file("dkms_source_tree/dkms.conf", CONF)
            .writeTo(tmp.resolve("t.tar"));
    // a file where the second kernel's directory must go makes its copy fail
    Files.createDirectories(tree.versionDir(M, V));
    Files.writeString(tree.versionDir(M, V).resolve("zz-blocked"), "in the way\n");
    assertThat(dkms("ldtarball", r -> r.archive = archive.toString())).isEqualTo(1);
    assertThat(output).contains("Loading " + tree.builtDir(M, V, K, A) + "...\n");
    assertThat(entries(sourceTree)).isEmpty();
    assertThat(entries(tree.versionDir(M, V))).containsExactly("zz-blocked");
    assertThat(entries(tmpLocation)).isEmpty();
  }
}
