package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.testutil.Upstream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast path against bash: wherever it answers, it answers exactly what bash does. */
class DeclarativeConfTest {
  @TempDir Path dir;

  static final List<String> ACCEPTED =
      List.of(
          "PACKAGE_NAME",
          "PACKAGE_VERSION",
          "MAKE",
          "CLEAN",
          "BUILT_MODULE_NAME",
          "BUILT_MODULE_LOCATION",
          "DEST_MODULE_NAME",
          "DEST_MODULE_LOCATION",
          "AUTOINSTALL",
          "BUILD_DEPENDS",
          "BUILD_EXCLUSIVE_KERNEL",
          "REMAKE_INITRD",
          "STRIP",
          "PRE_BUILD",
          "POST_INSTALL");

  static Map<String, String> context() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("kernelver", "6.1.0-56-amd64");
    c.put("arch", "x86_64");
    c.put("kernel_source_dir", "/lib/modules/6.1.0-56-amd64/build");
    c.put("dkms_tree", "/var/lib/dkms");
    c.put("module", "m");
    c.put("module_version", "1.0");
    c.put("odd", "a$b\"c");
    return c;
  }

  /** Recipes: the fixtures of upstream's own test suite, real packages' styles, and edge cases. */
  static Stream<String> recipes() throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(Upstream.testFixtures(), 2)) {
      s.filter(p -> p.getFileName().toString().equals("dkms.conf"))
          .sorted()
          .forEach(
              p -> {
                try {
                  out.add(Files.readString(p, StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
    }
    out.addAll(
        List.of(
            "PACKAGE_NAME=\"v4l2loopback\"\nPACKAGE_VERSION=\"0.12.7\"\n\n"
                + "BUILT_MODULE_NAME[0]=\"$PACKAGE_NAME\"\nDEST_MODULE_LOCATION[0]=\"/extra\"\n"
                + "AUTOINSTALL=\"yes\"\n",
            "PACKAGE_NAME=evdi\nPACKAGE_VERSION=1.12.0\nAUTOINSTALL=yes # always\n"
                + "MAKE[0]=\"make -C ${kernel_source_dir} M=${dkms_tree}/${PACKAGE_NAME}/${PACKAGE_VERSION}/build\"\n",
            "  # indented comment\n\tPACKAGE_NAME='single $quoted'\nPACKAGE_VERSION=1\n",
            "PACKAGE_NAME=\"a\\\"b\"\n",
            "PACKAGE_NAME=\"x\\qy\"\n",
            "PACKAGE_NAME=x\\ y\n",
            "PACKAGE_NAME=$odd\n",
            "PACKAGE_NAME=\"$kernelver-$arch\"\nBUILT_MODULE_NAME[2]=two\nBUILT_MODULE_NAME[0]=zero\n",
            "BUILD_DEPENDS=\"$UNSET_ACCEPTED\"\nPACKAGE_NAME=\"${BUILD_DEPENDS}x\"\n",
            "local_var=abc\nPACKAGE_NAME=\"$local_var\"\n",
            "PACKAGE_NAME=\"$HOME\"\n",
            "PACKAGE_NAME=\"$(echo sub)\"\n",
            "if true; then PACKAGE_NAME=x; fi\n",
            "PACKAGE_NAME=a B=c\n",
            "PACKAGE_NAME=\"multi\nline\"\n",
            "PACKAGE_NAME=x\r\nPACKAGE_VERSION=1\r\n",
            "REMAKE_INITRD=yes\nPACKAGE_NAME=x\n",
            "CLEAN=\"make clean\"\nPACKAGE_NAME=x\n",
            "CLEAN=true\nMODULES_CONF_ALIAS_TYPE=eth\n",
            "CLEAN=\nOBSOLETE_BY=5.0\nMODULES_CONF[1]=x\nMODULES_CONF_OBSOLETES=a\n",
            "CLEAN[1]=/bin/true\nMODULES_CONF_OBSOLETE_ONLY=1\n",
            "PACKAGE_NAME=\"${kernelver%%-*}\"\n",
            "PACKAGE_NAME=\"`date`\"\n",
            "MAKE=(\"make a\" \"make b\")\n",
            "PACKAGE_NAME=x\\\n",
            "STRIP[0]=no\nSTRIP[1]=\"\"\nPACKAGE_VERSION=\n",
            "PACKAGE_NAME=~/x\n",
            "PACKAGE_NAME=\"it's\"\nPACKAGE_VERSION='a\"b'\n",
            "BUILT_MODULE_NAME[010]=octal\nBUILT_MODULE_NAME[08]=bad\nBUILT_MODULE_NAME[1]=one\n",
            "PACKAGE_NAME=\"  two  spaces\ttab  \"\n",
            "PACKAGE_NAME=\"a*b\"\nPACKAGE_VERSION=\"x[0]\"\n"));
    return out.stream();
  }

  private Map<String, Map<Integer, String>> values(ShellVariables v) {
    Map<String, Map<Integer, String>> m = new TreeMap<>();
    for (String name : ACCEPTED) {
      if (!v.array(name).isEmpty()) {
        m.put(name, new TreeMap<>(v.array(name)));
      }
    }
    return m;
  }

  private ShellVariables bash(List<Path> files, boolean deprecation) throws Exception {
    return bash(files, deprecation, new ByteArrayOutputStream());
  }

  private ShellVariables bash(List<Path> files, boolean deprecation, ByteArrayOutputStream stderr)
      throws Exception {
    ChildEnvironment env =
        ChildEnvironment.of(Map.of("PATH", "/usr/bin:/bin", "HOME", "/root"))
            .with(Map.of(ShellEvaluator.FASTPATH_ENV, "0"));
    // with a cache, bash's stderr comes back through the console (else it is inherited)
    return new ShellEvaluator(
            Console.of(new ByteArrayOutputStream(), stderr), env, new EvaluationCache())
        .evaluate(files, context(), ACCEPTED, deprecation, true);
  }

  private static Optional<ShellVariables> fast(List<Path> files) {
    return DeclarativeConf.evaluate(files, context(), ACCEPTED)
        .map(DeclarativeConf.Evaluated::variables);
  }

  @ParameterizedTest
  @MethodSource("recipes")
  void theFastPathAgreesWithBashWheneverItAnswers(String recipe) throws Exception {
    Path f = dir.resolve("dkms.conf");
    Files.writeString(f, recipe, StandardCharsets.ISO_8859_1);
    Optional<DeclarativeConf.Evaluated> fast =
        DeclarativeConf.evaluate(List.of(f), context(), ACCEPTED);
    if (fast.isPresent()) {
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      ShellVariables bash = bash(List.of(f), true, stderr);
      assertThat(values(fast.get().variables())).as(recipe).isEqualTo(values(bash));
      // the deprecation warnings, too, are what bash prints
      assertThat(fast.get().warnings().stream().map(w -> w + "\n").toList())
          .as(recipe)
          .isEqualTo(stderr.toString(StandardCharsets.UTF_8).lines().map(w -> w + "\n").toList());
    }
  }

  @Test
  void overridesSeeEarlierFilesAcceptedVariablesOnly() throws Exception {
    Path a = dir.resolve("a.conf");
    Path b = dir.resolve("b.conf");
    Files.writeString(
        a, "PACKAGE_NAME=m\nhelper=h\nBUILT_MODULE_NAME[0]=one\nBUILT_MODULE_NAME[1]=two\n");
    Files.writeString(b, "PACKAGE_VERSION=\"$PACKAGE_NAME-$helper\"\nBUILT_MODULE_NAME=uno\n");
    // $helper is not accepted, so it does not survive into b.conf: that is bash's answer too,
    // but the fast path cannot know it is not in the environment, so it asks bash.
    assertThat(fast(List.of(a, b))).isEmpty();
    Files.writeString(b, "PACKAGE_VERSION=\"$PACKAGE_NAME-x\"\nBUILT_MODULE_NAME=uno\n");
    Optional<ShellVariables> fast = fast(List.of(a, b));
    assertThat(fast).isPresent();
    assertThat(values(fast.get())).isEqualTo(values(bash(List.of(a, b), false)));
    assertThat(fast.get().array("BUILT_MODULE_NAME"))
        .containsEntry(0, "uno")
        .containsEntry(1, "two");
  }

  @Test
  void deprecationWarningsFollowEachFileAsBashPrintsThem() throws Exception {
    Path a = dir.resolve("a.conf");
    Path b = dir.resolve("b.conf");
    Files.writeString(a, "PACKAGE_NAME=m\nREMAKE_INITRD=yes\nCLEAN=/usr/bin/true\n");
    Files.writeString(b, "CLEAN=\"make clean\"\nOBSOLETE_BY=6.2\n"); // OBSOLETE_BY: not accepted
    Optional<DeclarativeConf.Evaluated> fast =
        DeclarativeConf.evaluate(List.of(a, b), context(), ACCEPTED);
    assertThat(fast).isPresent();
    assertThat(fast.get().warnings())
        .containsExactly(
            "Deprecated feature: REMAKE_INITRD (" + a + ")",
            "Deprecated feature: CLEAN (" + b + ")",
            "Deprecated feature: REMAKE_INITRD (" + b + ")");
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    bash(List.of(a, b), true, stderr);
    assertThat(stderr.toString(StandardCharsets.UTF_8).lines().toList())
        .isEqualTo(fast.get().warnings());
  }

  @Test
  void typicalRecipesTakeTheFastPath() throws Exception {
    Path f = dir.resolve("dkms.conf");
    Files.writeString(
        f,
        "PACKAGE_NAME=\"jdkms_hello\"\nPACKAGE_VERSION=\"1.0\"\nBUILT_MODULE_NAME[0]=\"jdkms_hello\"\n"
            + "DEST_MODULE_LOCATION[0]=\"/updates\"\nAUTOINSTALL=\"yes\"\n");
    assertThat(fast(List.of(f))).isPresent();
    long fast = 0;
    for (String r : recipes().toList()) {
      Files.writeString(f, r, StandardCharsets.ISO_8859_1);
      if (fast(List.of(f)).isPresent()) {
        fast++;
      }
    }
    assertThat(fast).isGreaterThanOrEqualTo(20);
  }
}
