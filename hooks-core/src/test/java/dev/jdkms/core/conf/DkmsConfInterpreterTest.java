package dev.jdkms.core.conf;

import static dev.jdkms.core.conf.Confs.HEADER;
import static dev.jdkms.core.conf.Confs.ONE_MODULE;
import static dev.jdkms.core.conf.Confs.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.kernel.Distribution;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkmsConfInterpreterTest {
  @TempDir Path dir;
  Confs confs;

  @BeforeEach
  void setUp() {
    confs = new Confs(dir);
  }

  private List<String> errors(String text) {
    return confs.interpret(text, context("6.1.0")).errors();
  }

  // --- messages (dkms-behaviour.md §2.4), recorded from upstream's read_conf

  @Test
  void everyReadConfMessageInUpstreamOrder() {
    String text =
        "BUILT_MODULE_NAME[0]=a.ko\n"
            + "DEST_MODULE_NAME[0]=b.o\n"
            + "DEST_MODULE_LOCATION[0]=/lib/x\n"
            + "BUILT_MODULE_NAME[2]=c\n"
            + "DEST_MODULE_LOCATION[2]=/extra\n"
            + "DEST_MODULE_NAME[3]=d\n"
            + "DEST_MODULE_LOCATION[3]=/updates/x\n"
            + "AUTOINSTALL=maybe\n"
            + "BUILD_DEPENDS_REBUILD=YES\n"
            + "NO_WEAK_MODULES=0\n";
    assertThat(errors(text))
        .containsExactly(
            "dkms.conf: Error! No 'PACKAGE_NAME' directive specified.",
            "dkms.conf: Error! No 'PACKAGE_VERSION' directive specified.",
            "dkms.conf: Error! 'BUILT_MODULE_NAME' directive ends in '.o' or '.ko' in record #0.",
            "dkms.conf: Error! 'DEST_MODULE_NAME' directive ends in '.o' or '.ko' in record #0.",
            "dkms.conf: Error! Directive 'DEST_MODULE_LOCATION' does not begin with",
            "'/kernel', '/updates', or '/extra' in record #0.",
            "dkms.conf: Error! No 'BUILT_MODULE_NAME' directive specified for record #1.",
            "dkms.conf: Error! No 'DEST_MODULE_LOCATION' directive specified for record #1.",
            "dkms.conf: Error! No 'BUILT_MODULE_NAME' directive specified for record #3.",
            "dkms.conf: Error! Unsupported AUTOINSTALL value 'maybe'",
            "dkms.conf: Error! Unsupported NO_WEAK_MODULES value '0'");
  }

  /**
   * upstream's "array length mismatch" check fires when a conf sets elements of the internal
   * lowercase arrays (they are accepted names) beyond the records.
   */
  @Test
  void lengthMismatchWhenInternalArraysHaveStrayElements() {
    // recorded from upstream: one line per mismatching array, after the record errors
    assertThat(errors(ONE_MODULE + "built_module_name[7]=z\ndest_module_location[9]=q\n"))
        .containsExactly(
            "dkms.conf: Error! Module name/location array length mismatch.",
            "dkms.conf: Error! Module name/location array length mismatch.");
    assertThat(errors(HEADER + "dest_module_name[0]=x\n"))
        .containsExactly("dkms.conf: Error! Module name/location array length mismatch.");
  }

  @Test
  void internalArrayElementsInsideTheRecordsAreOverwritten() {
    assertThat(errors(ONE_MODULE + "dest_module_name[0]=x\nbuilt_module_location[0]=y\n"))
        .isEmpty();
    DkmsConf c = confs.conf(ONE_MODULE + "dest_module_name[0]=x\n");
    assertThat(c.modules().get(0).destName()).isEqualTo("m");
  }

  @Test
  void dotKoAndDotOEndingsAreRejectedOnBothNames() {
    assertThat(errors(HEADER + "BUILT_MODULE_NAME=x.o\nDEST_MODULE_LOCATION=/kernel\n"))
        .containsExactly(
            "dkms.conf: Error! 'BUILT_MODULE_NAME' directive ends in '.o' or '.ko' in record #0.",
            // DEST_MODULE_NAME defaults to the built name, so it is reported too
            "dkms.conf: Error! 'DEST_MODULE_NAME' directive ends in '.o' or '.ko' in record #0.");
    assertThat(
            errors(
                HEADER
                    + "BUILT_MODULE_NAME=x.ko.xz\nDEST_MODULE_NAME=y.kox\n"
                    + "DEST_MODULE_LOCATION=/kernel\n"))
        .isEmpty();
  }

  @Test
  void destModuleLocationMustStartWithOneOfThreePrefixes() {
    for (String ok : List.of("/kernel", "/kernelx", "/updates/dkms", "/extra/sub")) {
      assertThat(errors(HEADER + "DEST_MODULE_LOCATION=" + ok + "\n")).as(ok).isEmpty();
    }
    assertThat(errors(HEADER + "DEST_MODULE_LOCATION=kernel/x\n"))
        .containsExactly(
            "dkms.conf: Error! Directive 'DEST_MODULE_LOCATION' does not begin with",
            "'/kernel', '/updates', or '/extra' in record #0.");
  }

  @Test
  void rawLocationIsCheckedEvenWhereTheDistributionOverridesIt() {
    DkmsConfInterpreter.Result r =
        confs.interpret(
            HEADER + "DEST_MODULE_LOCATION=/wrong\n", context("6.1", "x86_64", "debian"));
    assertThat(r.valid()).isFalse();
    assertThat(r.conf().modules().get(0).destLocation()).isEqualTo("/updates/dkms");
    assertThat(r.conf().modules().get(0).rawDestLocation()).isEqualTo("/wrong");
  }

  @Test
  void yesNoValuesAreCaseInsensitive() {
    for (String v : List.of("yes", "YES", "Yes", "no", "NO", "nO", "")) {
      assertThat(
              errors(
                  ONE_MODULE
                      + "AUTOINSTALL="
                      + v
                      + "\nBUILD_DEPENDS_REBUILD="
                      + v
                      + "\nNO_WEAK_MODULES="
                      + v
                      + "\n"))
          .as(v)
          .isEmpty();
    }
    assertThat(errors(ONE_MODULE + "BUILD_DEPENDS_REBUILD=y\n"))
        .containsExactly("dkms.conf: Error! Unsupported BUILD_DEPENDS_REBUILD value 'y'");
  }

  // --- defaults

  @Test
  void builtModuleNameDefaultsToPackageNameOnlyWithOneRecord() {
    DkmsConf one = confs.conf(ONE_MODULE);
    assertThat(one.modules()).hasSize(1);
    assertThat(one.modules().get(0).builtName()).isEqualTo("m");
    assertThat(one.modules().get(0).destName()).isEqualTo("m");

    assertThat(
            errors(
                HEADER
                    + "DEST_MODULE_LOCATION[0]=/kernel\nDEST_MODULE_LOCATION[1]=/kernel\n"
                    + "BUILT_MODULE_NAME[1]=b\n"))
        .containsExactly(
            "dkms.conf: Error! No 'BUILT_MODULE_NAME' directive specified for record #0.");
  }

  @Test
  void recordCountIsOnePlusTheHighestIndexOfTheFourArrays() {
    DkmsConf c =
        confs.conf(
            HEADER
                + "BUILT_MODULE_NAME=(a b)\nDEST_MODULE_LOCATION=(/kernel /kernel /kernel)\n"
                + "BUILT_MODULE_NAME[2]=c\nMAKE[7]=x\nSTRIP[9]=no\n");
    assertThat(c.modules()).extracting(ModuleRecord::index).containsExactly(0, 1, 2);
    assertThat(c.modules()).extracting(ModuleRecord::builtName).containsExactly("a", "b", "c");
  }

  @Test
  void destModuleNameDefaultsToTheBuiltName() {
    DkmsConf c =
        confs.conf(
            HEADER
                + "BUILT_MODULE_NAME=(a b)\nDEST_MODULE_NAME[1]=renamed\n"
                + "DEST_MODULE_LOCATION=(/kernel /extra)\n");
    assertThat(c.modules()).extracting(ModuleRecord::destName).containsExactly("a", "renamed");
  }

  @Test
  void builtLocationGetsATrailingSlash() {
    DkmsConf c =
        confs.conf(
            HEADER
                + "BUILT_MODULE_NAME=(a b c d)\n"
                + "BUILT_MODULE_LOCATION=(src src/ '' module/avl)\n"
                + "DEST_MODULE_LOCATION=(/kernel /kernel /kernel /kernel)\n");
    assertThat(c.modules())
        .extracting(ModuleRecord::builtLocation)
        .containsExactly("src/", "src/", "", "module/avl/");
  }

  @Test
  void destinationIsTheDistributionsOrTheConfsOwn() {
    String text = ONE_MODULE.replace("/kernel/extra", "/kernel/drivers/net");
    assertThat(confs.conf(text, context("6.1", "x86_64", "debian")).modules().get(0).destLocation())
        .isEqualTo("/updates/dkms");
    assertThat(confs.conf(text, context("6.1", "x86_64", "fedora")).modules().get(0).destLocation())
        .isEqualTo("/extra");
    assertThat(confs.conf(text, context("6.1", "x86_64", "gentoo")).modules().get(0).destLocation())
        .isEqualTo("/kernel/drivers/net");
    DkmsConfInterpreter.Context addon =
        new DkmsConfInterpreter.Context(
            "6.1", "x86_64", new Distribution("debian"), "addon", "make", false, Optional.empty());
    assertThat(confs.conf(text, addon).modules().get(0).destLocation()).isEqualTo("/addon");
  }

  @Test
  void stripRules() {
    // [nN]* → no, [yY]* → yes, empty → record 0's value (default yes), other words → strip
    DkmsConf c =
        confs.conf(
            HEADER
                + "BUILT_MODULE_NAME=(a b c d e f g)\n"
                + "DEST_MODULE_LOCATION=(/kernel /kernel /kernel /kernel /kernel /kernel /kernel)\n"
                + "STRIP=(no '' Yes '' maybe N nonsense)\n");
    assertThat(c.modules())
        .extracting(ModuleRecord::strip)
        .containsExactly(false, false, true, false, true, false, false);

    DkmsConf dflt =
        confs.conf(
            HEADER
                + "BUILT_MODULE_NAME=(a b)\nDEST_MODULE_LOCATION=(/kernel /kernel)\n"
                + "STRIP[1]=''\n");
    assertThat(dflt.modules()).extracting(ModuleRecord::strip).containsExactly(true, true);

    // an unknown word in record 0 leaves strip[0] unset: empty later records fall back to yes
    DkmsConf unknown =
        confs.conf(
            HEADER
                + "BUILT_MODULE_NAME=(a b)\nDEST_MODULE_LOCATION=(/kernel /kernel)\n"
                + "STRIP=(maybe '')\n");
    assertThat(unknown.modules()).extracting(ModuleRecord::strip).containsExactly(true, true);
  }

  @Test
  void makeDefaultsToTheKernelsBuildCommand() {
    assertThat(confs.conf(ONE_MODULE).makeCommand()).isEqualTo(Confs.DEFAULT_MAKE);
    assertThat(confs.conf(ONE_MODULE + "MAKE=''\n").makeCommand()).isEqualTo(Confs.DEFAULT_MAKE);
    assertThat(confs.conf(ONE_MODULE + "MAKE[0]=\"make all\"\n").makeCommand())
        .isEqualTo("make all");
  }

  @Test
  void makeMatchLastMatchWins() {
    String text =
        ONE_MODULE
            + "MAKE[0]='make zero'\n"
            + "MAKE[1]='make six'\nMAKE_MATCH[1]='^6\\.'\n"
            + "MAKE[2]='make six-one'\nMAKE_MATCH[2]='^6\\.1'\n"
            + "MAKE[3]='make five'\nMAKE_MATCH[3]='^5'\n"
            + "MAKE[4]=''\nMAKE_MATCH[4]='.*'\n";
    assertThat(confs.conf(text, context("6.1.0")).makeCommand()).isEqualTo("make six-one");
    assertThat(confs.conf(text, context("6.2.0")).makeCommand()).isEqualTo("make six");
    assertThat(confs.conf(text, context("5.10")).makeCommand()).isEqualTo("make five");
    assertThat(confs.conf(text, context("4.19")).makeCommand()).isEqualTo("make zero");
  }

  @Test
  void aMakeMatchOnRecordZeroDropsTheUnconditionalMake() {
    String text = ONE_MODULE + "MAKE[0]='make six'\nMAKE_MATCH[0]='^6'\n";
    assertThat(confs.conf(text, context("6.1")).makeCommand()).isEqualTo("make six");
    assertThat(confs.conf(text, context("5.1")).makeCommand()).isEqualTo(Confs.DEFAULT_MAKE);
  }

  @Test
  void sparseMakeAndPatchArraysAreReadOnlyUpToTheirElementCount() {
    // upstream loops while index < ${#ARRAY[@]}: recorded make_command "make a", patch_array (p0)
    DkmsConf c =
        confs.conf(
            ONE_MODULE
                + "MAKE[0]='make a'\nMAKE[3]='make b'\nMAKE_MATCH[3]=.\n"
                + "PATCH[0]=p0\nPATCH[2]=p2\n");
    assertThat(c.makeCommand()).isEqualTo("make a");
    assertThat(c.patches()).containsExactly("p0");
  }

  @Test
  void clangKernelsGetLlvm() {
    DkmsConfInterpreter.Context clang =
        new DkmsConfInterpreter.Context(
            "6.1", "x86_64", new Distribution("debian"), "", "make -C k", true, Optional.empty());
    assertThat(confs.conf(ONE_MODULE, clang).makeCommand()).isEqualTo("make -C k LLVM=1");
    assertThat(confs.conf(ONE_MODULE + "MAKE='make x'\n", clang).makeCommand())
        .isEqualTo("make x LLVM=1");
  }

  @Test
  void patchesApplyInIndexOrderWhenTheirMatchFits() {
    String text =
        ONE_MODULE
            + "PATCH=(all.patch six.patch five.patch sub/later.patch)\n"
            + "PATCH_MATCH[1]='^6'\nPATCH_MATCH[2]='^5'\n";
    assertThat(confs.conf(text, context("6.1")).patches())
        .containsExactly("all.patch", "six.patch", "sub/later.patch");
    assertThat(confs.conf(text, context("5.10")).patches())
        .containsExactly("all.patch", "five.patch", "sub/later.patch");
  }

  @Test
  void obsoleteByBecomesTheKernelMaximumUnlessAMaximumExists() {
    DkmsConf c = confs.conf(ONE_MODULE + "OBSOLETE_BY=6.0\n");
    assertThat(c.vars().get("BUILD_EXCLUSIVE_KERNEL_MAX")).isEqualTo("6.0");
    assertThat(c.obsoleteBy()).isEqualTo("6.0");

    DkmsConf global = confs.conf(ONE_MODULE + "OBSOLETE_BY=6.0\nBUILD_EXCLUSIVE_KERNEL_MAX=7.0\n");
    assertThat(global.vars().get("BUILD_EXCLUSIVE_KERNEL_MAX")).isEqualTo("7.0");

    DkmsConf perModule =
        confs.conf(
            HEADER
                + "BUILT_MODULE_NAME=(a b)\nDEST_MODULE_LOCATION=(/kernel /kernel)\n"
                + "OBSOLETE_BY=6.0\nBUILD_EXCLUSIVE_KERNEL_MAX[1]=7.0\n");
    assertThat(perModule.vars().get("BUILD_EXCLUSIVE_KERNEL_MAX")).isEmpty();
    assertThat(perModule.vars().get("BUILD_EXCLUSIVE_KERNEL_MAX", 1)).isEqualTo("7.0");

    // a per-module maximum beyond the records does not count (upstream loops over the records)
    DkmsConf beyond =
        confs.conf(ONE_MODULE + "OBSOLETE_BY=6.0\nBUILD_EXCLUSIVE_KERNEL_MAX[4]=7.0\n");
    assertThat(beyond.vars().get("BUILD_EXCLUSIVE_KERNEL_MAX")).isEqualTo("6.0");
  }

  @Test
  void accessors() {
    DkmsConf c =
        confs.conf(
            ONE_MODULE
                + "AUTOINSTALL=YES\nBUILD_DEPENDS_REBUILD=no\nNO_WEAK_MODULES=Yes\n"
                + "BUILD_DEPENDS=(a b)\nPOST_INSTALL='post.sh x'\n");
    assertThat(c.packageName()).isEqualTo("m");
    assertThat(c.packageVersion()).isEqualTo("1");
    assertThat(c.autoinstall()).isTrue();
    assertThat(c.buildDependsRebuild()).isFalse();
    assertThat(c.noWeakModules()).isTrue();
    assertThat(c.buildDepends()).containsExactly("a", "b");
    assertThat(c.script("POST_INSTALL")).isEqualTo("post.sh x");
    assertThat(c.script("PRE_BUILD")).isEmpty();
    assertThat(confs.conf(ONE_MODULE).autoinstall()).isFalse();
  }

  // --- strict reads

  @Test
  void strictMessagesZeroModules() {
    DkmsConf zero = confs.conf(HEADER);
    assertThat(zero.modules()).isEmpty();
    assertThat(DkmsConfInterpreter.strictMessages(zero))
        .containsExactly("dkms.conf: Warning! Zero modules specified.");
    assertThat(DkmsConfInterpreter.strictMessages(confs.conf(ONE_MODULE))).isEmpty();
  }

  @Test
  void strictMessagesDuplicatesAsRecordedFromUpstream() {
    DkmsConf c =
        confs.conf(
            HEADER
                + "BUILT_MODULE_NAME=(a a b a)\n"
                + "BUILT_MODULE_LOCATION=(x x '' y/)\n"
                + "DEST_MODULE_NAME=(p q p '')\n"
                + "DEST_MODULE_LOCATION=(/kernel /kernel /kernel /kernel)\n");
    assertThat(DkmsConfInterpreter.strictMessages(c))
        .containsExactly(
            "dkms.conf: Error! Duplicate module 'x/a' in 'BUILT_MODULE_NAME[1]'.",
            "dkms.conf: Error! Duplicate module 'p' in 'DEST_MODULE_NAME[2]'.");
  }
}
