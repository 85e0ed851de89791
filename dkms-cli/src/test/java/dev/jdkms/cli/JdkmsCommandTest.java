package dev.jdkms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdkms kabi check} end to end: a real module built for the two newest kernels with headers,
 * laid out as DKMS builds, checked against each kernel (text and JSON), and against a symvers with
 * one CRC changed.
 */
class JdkmsCommandTest {
  @TempDir static Path dir;
  static String older;
  static String newer;
  static Path root;
  static Path tree;

  record Run(int status, String out, String err) {}

  static Run jdkms(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = JdkmsCommand.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(rc, out.toString(), err.toString());
  }

  @BeforeAll
  static void buildModules() throws Exception {
    List<String> ks = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/lib/modules"))) {
      s.filter(p -> Files.isRegularFile(p.resolve("build/Makefile")))
          .forEach(p -> ks.add(p.getFileName().toString()));
    }
    ks.sort(null);
    assertThat(ks).as("two kernels with headers are required").hasSizeGreaterThanOrEqualTo(2);
    older = ks.get(ks.size() - 2);
    newer = ks.get(ks.size() - 1);
    root = dir.resolve("root");
    tree = dir.resolve("dkms");
    for (String k : List.of(older, newer)) {
      Path src = Files.createDirectories(dir.resolve("src-" + k));
      Files.writeString(
          src.resolve("kabi_hello.c"),
          "#include <linux/module.h>\n#include <linux/slab.h>\n"
              + "static int __init h(void) { kfree(NULL); return 0; }\nmodule_init(h);\n"
              + "MODULE_LICENSE(\"GPL\");\n");
      Files.writeString(src.resolve("Kbuild"), "obj-m := kabi_hello.o\n");
      Process p =
          new ProcessBuilder(
                  "make", "-s", "-C", "/lib/modules/" + k + "/build", "M=" + src, "modules")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String log = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(log).isZero();
      Path built = Files.createDirectories(tree.resolve("kabi_hello/1.0/" + k + "/x86_64/module"));
      Files.copy(src.resolve("kabi_hello.ko"), built.resolve("kabi_hello.ko"));
      Path mods = Files.createDirectories(root.resolve("lib/modules/" + k));
      Files.createSymbolicLink(
          mods.resolve("build"), Path.of("/lib/modules/" + k + "/build").toRealPath());
      Files.writeString(mods.resolve("modules.builtin"), "");
      Files.writeString(mods.resolve("modules.dep"), "");
    }
  }

  @AfterAll
  static void removeHeaderLinks() throws Exception {
    // so that @TempDir's clean-up has no link pointing outside to warn about
    for (String k : List.of(older, newer)) {
      Files.deleteIfExists(root.resolve("lib/modules/" + k + "/build"));
    }
  }

  @Test
  void aDkmsModuleBuiltForOneDebianKernelIsCompatibleWithTheOther() {
    Run text =
        jdkms(
            "kabi",
            "check",
            "kabi_hello/1.0",
            "--kernel",
            older,
            "--root",
            root.toString(),
            "--dkms-tree",
            tree.toString());
    Run json =
        jdkms(
            "kabi",
            "check",
            "kabi_hello/1.0",
            "-k",
            older,
            "--json",
            "--root",
            root.toString(),
            "--dkms-tree",
            tree.toString());

    assertThat(text.status()).as(text.toString()).isZero();
    assertThat(text.out())
        .startsWith(
            "kabi_hello ("
                + tree
                + "/kabi_hello/1.0/"
                + newer
                + "/x86_64/module/kabi_hello.ko, built for "
                + newer
                + ") on "
                + older
                + ": compatible\n");
    assertThat(json.status()).isZero();
    assertThat(json.out())
        .startsWith("{\"kernel\":\"" + older + "\",\"verdicts\":[{\"module\":\"kabi_hello\"");
    assertThat(json.out())
        .contains("\"status\":\"compatible\"")
        .doesNotContain("\"outcome\":\"fail\"");
  }

  @Test
  void oneChangedCrcMakesItIncompatibleWithEvidence() throws Exception {
    Path symvers = dir.resolve("changed.symvers");
    List<String> lines =
        Files.readAllLines(Path.of("/lib/modules/" + older + "/build/Module.symvers"));
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.contains("\tkfree\t") ? "0x00c0ffee" + l.substring(l.indexOf('\t')) : l);
    }
    Files.write(symvers, out);
    Path ko = tree.resolve("kabi_hello/1.0/" + newer + "/x86_64/module/kabi_hello.ko");

    Run r =
        jdkms(
            "kabi",
            "check",
            ko.toString(),
            "-k",
            older,
            "--symvers",
            symvers.toString(),
            "--root",
            root.toString(),
            "--dkms-tree",
            tree.toString());

    assertThat(r.status()).as(r.toString()).isEqualTo(3);
    assertThat(r.out())
        .contains(": incompatible\n")
        .contains("  [FAIL] rule 3 symbols: 1 of ")
        .contains("      kfree: module 0x")
        .contains(", kernel 0x00c0ffee (disagrees about version of symbol (exported by vmlinux))");
  }

  @Test
  void usageAndBadInput() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "not a module");

    Run noKernel = jdkms("kabi", "check", "x.ko");
    Run noTarget =
        jdkms("kabi", "check", "nothing-here", "-k", older, "--dkms-tree", tree.toString());
    Run notBuilt =
        jdkms("kabi", "check", "kabi_hello/9.9", "-k", older, "--dkms-tree", tree.toString());
    Run notModule = jdkms("kabi", "check", text.toString(), "-k", older);

    assertThat(noKernel.status()).isEqualTo(2);
    assertThat(noKernel.err()).contains("Missing required option: '--kernel=B'");
    assertThat(noTarget.status()).isEqualTo(2);
    assertThat(noTarget.err())
        .contains("nothing-here: neither a module file nor a DKMS module/version");
    assertThat(notBuilt.status()).isEqualTo(2);
    assertThat(notBuilt.err())
        .contains("kabi_hello/9.9 is not built for any kernel other than " + older);
    assertThat(notModule.status()).isEqualTo(1);
    assertThat(notModule.err())
        .isEqualTo(
            "jdkms kabi check: not a readable kernel module: "
                + text
                + ": not an ELF file (no \\x7fELF magic)\n");
  }
}
