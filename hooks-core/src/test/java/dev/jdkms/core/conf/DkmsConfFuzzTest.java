package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.testutil.Fuzz;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes dkms.conf values: real recipes with damaged bytes and with pieces of shell that stress the
 * values (huge or odd array indexes, quotes, CR, continuation lines, invalid UTF-8), read through
 * bash or the declarative fast path and interpreted for a kernel. Every input must give variables
 * and validation errors, or a {@link ConfException} (a file that never finishes, like one whose
 * damaged {@code AUTOINSTALL=yes} became the command {@code yes}, is stopped after a timeout).
 */
class DkmsConfFuzzTest {
  static final long SEED = 0xd1c5c0f0L;

  private static final String[] PIECES = {
    "BUILT_MODULE_NAME[99999999999]=x\n",
    "DEST_MODULE_LOCATION[2147483648]=/updates\n",
    "BUILT_MODULE_LOCATION[999999]=src\n",
    "MAKE[4294967296]=make\n",
    "PATCH[12]=p.patch\nPATCH_MATCH[12]='(['\n",
    "MAKE_MATCH[0]='[[:alpha:'\n",
    "BUILD_EXCLUSIVE_KERNEL='^(6\\.'\n",
    "BUILD_EXCLUSIVE_KERNEL_MIN=99999999999999999999.1\n",
    "STRIP[7]=maybe\n",
    "AUTOINSTALL=perhaps\n",
    "[-1]",
    "[08]",
    "=(a 'b c' \"d\")\n",
    "\r\n",
    "\\\n",
    "'",
    "\"",
    "$",
    "\u00e9",
  };

  @TempDir Path dir;

  @Test
  void noDkmsConfValueEndsInAnInternalError() {
    List<byte[]> valid = recipes();
    ShellEvaluator bash =
        new ShellEvaluator(
            Console.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()),
            ChildEnvironment.fromProcess(),
            null,
            Duration.ofSeconds(3));
    int refused =
        new Fuzz("dkms.conf", SEED, 400, Duration.ofSeconds(5), ConfException.class)
            .run(
                valid,
                (v, r) -> withPiece(Fuzz.mutate(v, r), r),
                (input, round) -> {
                  Path f = dir.resolve("dkms.conf." + round);
                  Files.write(f, input);
                  // What the fast path cannot take goes to bash in every fourth round (a
                  // bash costs 10-200 ms here, the fast path microseconds).
                  java.util.Optional<DeclarativeConf.Evaluated> fast =
                      DeclarativeConf.evaluate(
                          List.of(f), ShellEvaluator.context(), ConfReader.ACCEPTED);
                  ShellVariables v;
                  if (fast.isPresent()) {
                    v = fast.get().variables();
                  } else if (round % 4 == 0) {
                    v =
                        bash.evaluate(
                            List.of(f), ShellEvaluator.context(), ConfReader.ACCEPTED, false, true);
                  } else {
                    Files.delete(f);
                    return;
                  }
                  DkmsConfInterpreter.Result r =
                      DkmsConfInterpreter.interpret(v, Confs.context("6.1.0-9-amd64"));
                  use(r.conf());
                  r.errors().forEach(e -> assertThat(e).doesNotContain("\n"));
                  Files.delete(f);
                });
    assertThat(refused).isGreaterThanOrEqualTo(0);
  }

  /**
   * Real recipes: a plain one, NVIDIA's quoted MAKE with PATCH_MATCH, ZFS's multi-line PRE_BUILD.
   */
  static List<byte[]> recipes() {
    return List.of(
        utf8(
            Confs.HEADER
                + "BUILT_MODULE_NAME[0]=a\nBUILT_MODULE_LOCATION[0]=src/\n"
                + "DEST_MODULE_LOCATION[0]=/updates/dkms\nBUILT_MODULE_NAME[1]=b\n"
                + "DEST_MODULE_LOCATION[1]=/kernel/extra\nAUTOINSTALL=yes\n"),
        utf8(
            "PACKAGE_NAME=\"nvidia\"\nPACKAGE_VERSION=\"550.1\"\nMAKE[0]=\"'make' -j1"
                + " NV_EXCLUDE_BUILD_MODULES='' KERNEL_UNAME=${kernelver} modules\"\n"
                + "BUILT_MODULE_NAME[0]=\"nvidia\"\nDEST_MODULE_LOCATION[0]=\"/kernel/drivers\"\n"
                + "BUILD_EXCLUSIVE_ARCH=\"x86_64\"\nPATCH[0]=a.patch\nPATCH_MATCH[0]=\"^6\"\n"),
        utf8(
            "PACKAGE_NAME=zfs\nPACKAGE_VERSION=2.2.4\nPRE_BUILD=\"configure\n  --prefix=/usr"
                + "\n  --with-linux=${kernel_source_dir}\"\nBUILT_MODULE_NAME=(zfs spl)\n"
                + "DEST_MODULE_LOCATION=(/extra /extra)\nSTRIP=(no no)\n"
                + "BUILD_EXCLUSIVE_KERNEL_MIN=5.10\nBUILD_EXCLUSIVE_KERNEL_MAX=6.99\n"));
  }

  /** Reads every value a build looks at. */
  private static void use(DkmsConf c) {
    c.modules().forEach(m -> assertThat(m).isNotNull());
    c.makeCommand();
    c.patches();
    c.buildDepends();
    c.obsoleteBy();
    c.buildExcluded();
    c.hasPerModuleExclusive();
    for (int i = 0; i < c.modules().size(); i++) {
      c.isBuildable(i);
    }
  }

  /**
   * What bash hands back (name, index, value, each NUL-terminated), damaged: the indexes and values
   * of every variable a dkms.conf can set, without the cost of a bash per round.
   */
  @Test
  void noValueBashReportsEndsInAnInternalError() {
    String out =
        String.join(
                "\n",
                "PACKAGE_NAME 0 m",
                "PACKAGE_VERSION 0 1",
                "BUILT_MODULE_NAME 0 a",
                "BUILT_MODULE_NAME 3 b",
                "DEST_MODULE_LOCATION 0 /updates",
                "DEST_MODULE_LOCATION 3 /extra",
                "MAKE 0 make",
                "MAKE_MATCH 1 ^6",
                "PATCH 0 p",
                "STRIP 3 no",
                "BUILD_EXCLUSIVE_KERNEL_MIN 0 5.10",
                "BUILD_EXCLUSIVE_CONFIG 0 CONFIG_X",
                "")
            .replace(' ', '\0')
            .replace('\n', '\0');
    new Fuzz("dkms.conf values from bash", SEED, 20_000, Duration.ofSeconds(3))
        .run(
            List.of(utf8(out)),
            (input, round) -> {
              use(
                  DkmsConfInterpreter.interpret(
                          ShellEvaluator.parse(input), Confs.context("6.1.0-9-amd64"))
                      .conf());
            });
  }

  /** Most rounds also get a piece of shell, at a line start or anywhere. */
  private static byte[] withPiece(byte[] input, Random r) {
    if (r.nextInt(4) == 0) {
      return input;
    }
    String text = new String(input, StandardCharsets.ISO_8859_1);
    int at = r.nextInt(text.length() + 1);
    if (r.nextBoolean()) {
      int nl = text.lastIndexOf('\n', Math.max(0, at - 1));
      at = nl < 0 ? 0 : nl + 1;
    }
    byte[] piece = utf8(PIECES[r.nextInt(PIECES.length)]);
    byte[] out = new byte[input.length + piece.length];
    System.arraycopy(input, 0, out, 0, at);
    System.arraycopy(piece, 0, out, at, piece.length);
    System.arraycopy(input, at, out, at + piece.length, input.length - at);
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
