package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.testutil.Sh;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellEvaluatorTest {
  static final List<String> ACCEPTED =
      List.of(
          "PACKAGE_NAME",
          "PACKAGE_VERSION",
          "MAKE",
          "MAKE_MATCH",
          "BUILT_MODULE_NAME",
          "DEST_MODULE_LOCATION",
          "PATCH",
          "STRIP",
          "AUTOINSTALL",
          "OBSOLETE_BY",
          "CLEAN",
          "REMAKE_INITRD",
          "MODULES_CONF",
          "MODULES_CONF_OBSOLETES",
          "MODULES_CONF_ALIAS_TYPE",
          "MODULES_CONF_OBSOLETE_ONLY");

  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final ShellEvaluator evaluator =
      new ShellEvaluator(Console.of(out, err), ChildEnvironment.fromProcess());

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private ShellVariables eval(Map<String, String> ctx, Path... files) throws ConfException {
    return evaluator.evaluate(List.of(files), ctx, ACCEPTED, false, true);
  }

  private ShellVariables eval(Path... files) throws ConfException {
    return eval(ShellEvaluator.context(), files);
  }

  @Test
  void scalarsAreElementZeroAndArraysKeepTheirIndexes() throws Exception {
    ShellVariables v =
        eval(
            file(
                "dkms.conf",
                "PACKAGE_NAME=\"foo\"\n"
                    + "PACKAGE_VERSION=1.0\n"
                    + "PATCH=(a.patch \"b c.patch\")\n"
                    + "BUILT_MODULE_NAME[0]=one\n"
                    + "BUILT_MODULE_NAME[3]=four\n"
                    + "MAKE[2]=''\n"));
    assertThat(v.get("PACKAGE_NAME")).isEqualTo("foo");
    assertThat(v.get("PACKAGE_VERSION", 0)).isEqualTo("1.0");
    assertThat(v.array("PATCH")).containsExactly(entry(0, "a.patch"), entry(1, "b c.patch"));
    assertThat(v.array("BUILT_MODULE_NAME")).containsExactly(entry(0, "one"), entry(3, "four"));
    assertThat(v.count("BUILT_MODULE_NAME")).isEqualTo(2);
    assertThat(v.maxIndex("BUILT_MODULE_NAME")).isEqualTo(3);
    assertThat(v.get("BUILT_MODULE_NAME", 1)).isEmpty();
    // set to the empty string still counts as set, as ${#MAKE[@]} would
    assertThat(v.count("MAKE")).isEqualTo(1);
    assertThat(v.maxIndex("MAKE")).isEqualTo(2);
    assertThat(v.count("STRIP")).isZero();
    assertThat(v.maxIndex("STRIP")).isEqualTo(-1);
  }

  @Test
  void valuesAreReReadByTheShellAsUpstreamReSourcesThem() throws Exception {
    // upstream echoes NAME[i]="value" unquoted and sources that: runs of blanks collapse
    ShellVariables v = eval(file("dkms.conf", "MAKE[0]='make   -C  x'\nPACKAGE_NAME='a\tb'\n"));
    assertThat(v.get("MAKE")).isEqualTo("make -C x");
    assertThat(v.get("PACKAGE_NAME")).isEqualTo("a b");
  }

  @Test
  void trailingCarriageReturnsAreStripped() throws Exception {
    ShellVariables v =
        eval(
            file(
                "dkms.conf",
                "PACKAGE_NAME=\"crlf\"\r\nPACKAGE_VERSION=1.0\r\n"
                    + "BUILT_MODULE_NAME[0]=\"m\"\r\nAUTOINSTALL=yes\r\n"));
    assertThat(v.get("PACKAGE_NAME")).isEqualTo("crlf");
    assertThat(v.get("PACKAGE_VERSION")).isEqualTo("1.0");
    assertThat(v.get("BUILT_MODULE_NAME", 0)).isEqualTo("m");
    assertThat(v.get("AUTOINSTALL")).isEqualTo("yes");
  }

  @Test
  void stdoutOfTheFileIsDiscarded() throws Exception {
    ShellVariables v =
        eval(
            file(
                "dkms.conf",
                "echo hello\nprintf 'MAKE\\0000\\0evil\\0'\ncat /etc/hostname\nPACKAGE_NAME=ok\n"));
    assertThat(v.get("PACKAGE_NAME")).isEqualTo("ok");
    assertThat(v.count("MAKE")).isZero();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void contextVariablesAreVisible() throws Exception {
    Map<String, String> ctx = ShellEvaluator.context();
    ctx.put("kernelver", "6.1.0-9-amd64");
    ctx.put("arch", "x86_64");
    ctx.put("kernel_source_dir", "/lib/modules/6.1.0-9-amd64/build");
    ctx.put("dkms_tree", "/var/lib/dkms");
    ctx.put("module", "it's");
    ShellVariables v =
        eval(
            ctx,
            file(
                "dkms.conf",
                "MAKE[0]=\"make -C $kernel_source_dir KVER=${kernelver} ARCH=$arch\"\n"
                    + "PACKAGE_NAME=\"$module\"\n"
                    + "PACKAGE_VERSION=\"${dkms_tree}\"\n"));
    assertThat(v.get("MAKE"))
        .isEqualTo("make -C /lib/modules/6.1.0-9-amd64/build KVER=6.1.0-9-amd64 ARCH=x86_64");
    assertThat(v.get("PACKAGE_NAME")).isEqualTo("it's");
    assertThat(v.get("PACKAGE_VERSION")).isEqualTo("/var/lib/dkms");
  }

  @Test
  void aLaterFileSeesTheValuesOfEarlierOnes() throws Exception {
    Path conf =
        file("dkms.conf", "PACKAGE_NAME=foo\nMAKE[0]=\"make all\"\nBUILT_MODULE_NAME[0]=a\n");
    Path override =
        file("foo.conf", "MAKE[0]=\"${MAKE[0]} X=1\"\nPACKAGE_VERSION=$PACKAGE_NAME-2\n");
    Path last = file("foo-2.conf", "MAKE[0]=\"${MAKE[0]} Y=2\"\n");
    ShellVariables v = eval(conf, override, last);
    assertThat(v.get("MAKE")).isEqualTo("make all X=1 Y=2");
    assertThat(v.get("PACKAGE_VERSION")).isEqualTo("foo-2");
    assertThat(v.get("BUILT_MODULE_NAME", 0)).isEqualTo("a");
  }

  @Test
  void variablesOutsideTheAcceptedListAreInvisible() throws Exception {
    ShellVariables v =
        eval(
            file("dkms.conf", "PACKAGE_CONFIG=/etc/x\nFOO=bar\nPACKAGE_NAME=foo\n"),
            file("over.conf", "PACKAGE_VERSION=\"[$FOO][$PACKAGE_CONFIG]\"\n"));
    assertThat(v.count("FOO")).isZero();
    assertThat(v.count("PACKAGE_CONFIG")).isZero();
    // nor does a helper variable survive into the next file
    assertThat(v.get("PACKAGE_VERSION")).isEqualTo("[][]");
  }

  @Test
  void functionsShellOptionsAndDirectoryChangesDoNotLeak() throws Exception {
    ShellVariables v =
        eval(
            file(
                "dkms.conf",
                "helper() { echo from-helper; }\nPACKAGE_NAME=$(helper)\ncd /\nset -u\n"
                    + "shopt -u extglob\n"),
            file(
                "over.conf",
                "PACKAGE_VERSION=\"$(helper 2>/dev/null || echo none)$PWD\"\n"
                    + "[[ x == @(x|y) ]] && AUTOINSTALL=extglob\n"
                    + "MAKE=\"$UNDEFINED_VAR\"\n"));
    assertThat(v.get("PACKAGE_NAME")).isEqualTo("from-helper");
    assertThat(v.get("PACKAGE_VERSION")).isEqualTo("none" + Path.of("").toAbsolutePath());
    assertThat(v.get("AUTOINSTALL")).isEqualTo("extglob");
    assertThat(v.count("MAKE")).isEqualTo(1);
  }

  @Test
  void dkmsDirectiveVariablesSetTheNamedVariable() throws Exception {
    ShellVariables v =
        eval(
            file(
                "dkms.conf",
                "DKMS_DIRECTIVE_1=PACKAGE_NAME=legacy\nDKMS_DIRECTIVE2=AUTOINSTALL=yes\n"
                    + "PACKAGE_NAME=ignored\n"));
    assertThat(v.get("PACKAGE_NAME")).isEqualTo("legacy");
    assertThat(v.get("AUTOINSTALL")).isEqualTo("yes");
  }

  @Test
  void dkmsDirectivesFromTheEnvironmentApplyToAConfThatSourcesManyVariables() throws Exception {
    // thousands of variables (as when a conf sources the kernel's .config) and one directive that
    // comes from the environment: the scan for directives still finds it
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      many.append("CONFIG_X").append(i).append("=y\n");
    }
    Path kconfig = file("config", many.toString());
    Path conf = file("dkms.conf", ". " + kconfig + "\nPACKAGE_NAME=p\nAUTOINSTALL=no\n");
    ShellEvaluator withDirective =
        new ShellEvaluator(
            Console.of(out, err),
            ChildEnvironment.fromProcess().with(Map.of("DKMS_DIRECTIVE_E", "AUTOINSTALL=env")));
    ShellVariables v =
        withDirective.evaluate(List.of(conf), ShellEvaluator.context(), ACCEPTED, false, true);
    assertThat(v.get("AUTOINSTALL")).isEqualTo("env");
    assertThat(eval(conf).get("AUTOINSTALL")).isEqualTo("no");
  }

  @Test
  void unsetFirstClearsAcceptedContextValues() throws Exception {
    Map<String, String> ctx = ShellEvaluator.context();
    ctx.put("MAKE", "from-context");
    ctx.put("kernelver", "6.1");
    Path conf = file("dkms.conf", "PACKAGE_NAME=\"[$MAKE][$kernelver]\"\n");
    ShellVariables cleared = evaluator.evaluate(List.of(conf), ctx, ACCEPTED, false, true);
    assertThat(cleared.get("PACKAGE_NAME")).isEqualTo("[][6.1]");
    assertThat(cleared.count("MAKE")).isZero();

    ShellVariables kept = evaluator.evaluate(List.of(conf), ctx, ACCEPTED, false, false);
    assertThat(kept.get("PACKAGE_NAME")).isEqualTo("[from-context][6.1]");
    assertThat(kept.get("MAKE")).isEqualTo("from-context");
  }

  @Test
  void noFilesGiveOnlyTheContextsAcceptedValues() throws Exception {
    Map<String, String> ctx = ShellEvaluator.context();
    ctx.put("MAKE", "m");
    ctx.put("kernelver", "6.1");
    ShellVariables v = evaluator.evaluate(List.of(), ctx, ACCEPTED, false, false);
    assertThat(v.get("MAKE")).isEqualTo("m");
    assertThat(v.count("kernelver")).isZero();
  }

  @Test
  void oneBashProcessPerEvaluate() throws Exception {
    Path pids = dir.resolve("pids");
    String record = "echo $$ >> '" + pids + "'\n";
    Path a = file("a.conf", record);
    Path b = file("b.conf", record);
    Path c = file("c.conf", record);
    eval(a, b, c);
    List<String> first = Files.readAllLines(pids);
    assertThat(first).hasSize(3);
    assertThat(first).containsOnly(first.get(0));
    eval(a);
    List<String> all = Files.readAllLines(pids);
    assertThat(all).hasSize(4);
    assertThat(all.get(3)).isNotEqualTo(first.get(0));
  }

  @Test
  void aFileThatExitsOrFailsLeavesNothingBehindButDoesNotStopTheChain() throws Exception {
    ShellVariables v =
        eval(
            file("dkms.conf", "PACKAGE_NAME=gone\nexit 3\n"),
            file("bad.conf", "PACKAGE_VERSION=1\nif then\n"),
            file("good.conf", "MAKE=fine\n"));
    assertThat(v.count("PACKAGE_NAME")).isZero();
    assertThat(v.get("MAKE")).isEqualTo("fine");
  }

  @Test
  void quoteProducesAShellWord() {
    String[] values = {"", "plain", "it's", "a b", "$(x) `y` \\ \"q\"", "new\nline"};
    StringBuilder script = new StringBuilder();
    for (String s : values) {
      script.append("printf '%s\\0' ").append(ShellEvaluator.quote(s)).append('\n');
    }
    assertThat(Sh.bash(script.toString()).split("\0", -1)).startsWith(values);
  }

  // --- what bash prints on the inherited stderr, seen from a child JVM on the real console

  private Sh.Result evaluateInChildJvm(boolean deprecation, List<Path> files) {
    List<String> args = new ArrayList<>();
    args.add(Boolean.toString(deprecation));
    args.add("true");
    args.add(String.join(",", ACCEPTED));
    args.add("kernelver=6.1");
    args.add("--");
    files.forEach(f -> args.add(f.toString()));
    ProcessBuilder pb = Sh.java(EvaluateMain.class, args.toArray(new String[0]));
    pb.redirectErrorStream(true);
    Sh.Result r = Sh.finish(pb);
    assertThat(r.exitCode()).as(r.stdout()).isZero();
    return r;
  }

  @Test
  void deprecationWarningsFollowEachFileInUpstreamOrderAndStderrPassesThrough() throws Exception {
    Path f1 = file("f1", "REMAKE_INITRD=yes\nCLEAN=\"make clean\"\necho one >&2\necho out1\n");
    Path f2 = file("f2", "echo two >&2\nOBSOLETE_BY=5.0\nCLEAN=true\nMODULES_CONF[1]=x\n");
    Path f3 =
        file(
            "f3",
            "unset REMAKE_INITRD MODULES_CONF OBSOLETE_BY; CLEAN=/usr/bin/true\n"
                + "MODULES_CONF_OBSOLETES=a MODULES_CONF_ALIAS_TYPE=b MODULES_CONF_OBSOLETE_ONLY=c\n");
    Sh.Result r = evaluateInChildJvm(true, List.of(f1, f2, f3));
    // recorded from upstream's safe_source: the accepted variables live in the calling shell, so
    // a value an earlier file set (and a later one cannot unset) is reported after each file
    String expected =
        String.join(
            "\n",
            "one",
            "Deprecated feature: CLEAN (F1)",
            "Deprecated feature: REMAKE_INITRD (F1)",
            "two",
            "Deprecated feature: REMAKE_INITRD (F2)",
            "Deprecated feature: MODULES_CONF (F2)",
            "Deprecated feature: OBSOLETE_BY (F2): use BUILD_EXCLUSIVE_KERNEL_MAX instead",
            "Deprecated feature: REMAKE_INITRD (F3)",
            "Deprecated feature: MODULES_CONF (F3)",
            "Deprecated feature: MODULES_CONF_OBSOLETES (F3)",
            "Deprecated feature: MODULES_CONF_ALIAS_TYPE (F3)",
            "Deprecated feature: MODULES_CONF_OBSOLETE_ONLY (F3)",
            "Deprecated feature: OBSOLETE_BY (F3): use BUILD_EXCLUSIVE_KERNEL_MAX instead",
            "OBSOLETE_BY[0]=5.0",
            "CLEAN[0]=/usr/bin/true",
            "REMAKE_INITRD[0]=yes",
            "MODULES_CONF[1]=x",
            "MODULES_CONF_OBSOLETES[0]=a",
            "MODULES_CONF_ALIAS_TYPE[0]=b",
            "MODULES_CONF_OBSOLETE_ONLY[0]=c",
            "");
    assertThat(r.stdout())
        .isEqualTo(
            expected
                .replace("F1", f1.toString())
                .replace("F2", f2.toString())
                .replace("F3", f3.toString()));
  }

  @Test
  void withoutDeprecationWarningsOnlyTheFilesOwnStderrIsShown() throws Exception {
    Path f1 = file("f1", "REMAKE_INITRD=yes\nCLEAN=x\nOBSOLETE_BY=1\necho one >&2\necho out1\n");
    Sh.Result r = evaluateInChildJvm(false, List.of(f1));
    assertThat(r.stdout()).isEqualTo("one\nOBSOLETE_BY[0]=1\nCLEAN[0]=x\nREMAKE_INITRD[0]=yes\n");
  }
}
