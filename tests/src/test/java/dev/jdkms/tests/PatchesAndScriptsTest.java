package dev.jdkms.tests;

import static dev.jdkms.tests.Expect.dest;
import static dev.jdkms.tests.Expect.lines;
import static dev.jdkms.tests.Expect.prologue;
import static dev.jdkms.tests.Expect.signing;
import static dev.jdkms.tests.Expect.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.Batch;
import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PATCH[] and the six script hooks of dkms.conf, and their overrides in /etc/dkms/MODULE/: console
 * lines, exit codes, make.log blocks and the built module, as upstream dkms 3.4.3 does.
 */
@DkmsTest
class PatchesAndScriptsTest {
  private static final String P = "dkms_jd_patches_test";
  private static final String PV = P + "/1.0";
  private static final String PCONF = "/usr/src/" + P + "-1.0/dkms.conf";
  private static final String S = "dkms_jd_scripts_test";
  private static final String SV = S + "/1.0";
  private static final String SCONF = "/usr/src/" + S + "-1.0/dkms.conf";

  /** A batch with the fixture copied to /usr/src, the MOK pair generated and the module added. */
  private static Batch added(Sandbox sb, String fixture, String mv) {
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(fixture));
    b.setup(Expect.MOK_PAIR);
    b.setup("dkms add " + mv + " > /dev/null 2>&1");
    return b;
  }

  /** make.log with the elapsed times and the date line (line 2) blanked. */
  private static List<String> makeLog(Result cat) {
    List<String> l =
        cat.stdoutLines().stream()
            .map(s -> s.replaceFirst("^# elapsed time: \\d\\d:\\d\\d:\\d\\d$", "# elapsed time: T"))
            .toList();
    return l.isEmpty() ? l : lines(l.get(0), "DATE", l.subList(2, l.size()));
  }

  private static String makeLogPath(String m, String k) {
    return "/var/lib/dkms/" + m + "/1.0/" + k + "/" + Expect.ARCH + "/log/make.log";
  }

  private static List<String> block(String title, String command, List<String> output, int rc) {
    return lines(
        "",
        title,
        "# command: " + command,
        output,
        "",
        "# exit code: " + rc,
        "# elapsed time: T",
        "----------------------------------------------------------------");
  }

  @Test
  void patchesAreAppliedInOrderFromPatchesAndItsSubdirectories(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String ko = "/var/lib/dkms/" + P + "/1.0/" + k + "/" + Expect.ARCH + "/module/" + P + ".ko";
    Batch b = added(sb, P + "-1.0", PV);
    var build = b.step("dkms build " + PV + " -k " + k);
    var description = b.step("modinfo -F description " + ko);
    var log = b.step("cat " + makeLogPath(P, k));
    var source = b.step("grep MODULE_DESCRIPTION /usr/src/" + P + "-1.0/" + P + ".c");
    var buildDir = b.step("ls /var/lib/dkms/" + P + "/1.0");
    b.run();

    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Applying patch first.patch... done.",
                "Applying patch sub/second.patch... done.",
                "Building module(s)... done.",
                signing(P, "1.0", P)));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    // second.patch only applies on top of first.patch: both went in, in this order.
    assertThat(description.result().stdoutLines()).containsExactly("patched: first, second");
    // The patches changed the build copy, never the source.
    assertThat(source.result().stdoutLines())
        .containsExactly("MODULE_DESCRIPTION(\"patched: none\");");
    assertThat(buildDir.result().stdoutLines()).containsExactly(k, "source");
    List<String> makeLog = makeLog(log.result());
    assertThat(makeLog.subList(0, 18))
        .containsExactlyElementsOf(
            lines(
                "DKMS (dkms-3.4.3) make.log for " + PV + " for kernel " + Expect.ka(k),
                "DATE",
                block(
                    "Applying patch first.patch",
                    "patch -p1 < ./patches/first.patch",
                    List.of("patching file " + P + ".c"),
                    0),
                block(
                    "Applying patch sub/second.patch",
                    "patch -p1 < ./patches/sub/second.patch",
                    List.of("patching file " + P + ".c"),
                    0)));
    assertThat(makeLog.get(19)).isEqualTo("Building module(s)");
  }

  @Test
  void patchMatchChoosesThePatchesOfEachKernel(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    Batch b = added(sb, P + "-1.0", PV);
    // The second patch only for the second kernel.
    b.setup("echo 'PATCH_MATCH[1]=\"^" + k2.replace(".", "\\\\.") + "$\"' >> " + PCONF);
    var build = b.step("dkms build " + PV + " -k " + k1 + " -k " + k2);
    List<Batch.Step> descriptions =
        ks.stream()
            .map(
                k ->
                    b.step(
                        "modinfo -F description /var/lib/dkms/"
                            + PV
                            + "/"
                            + k
                            + "/"
                            + Expect.ARCH
                            + "/module/"
                            + P
                            + ".ko"))
            .toList();
    b.run();

    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k1),
                "Applying patch first.patch... done.",
                "Building module(s)... done.",
                signing(P, "1.0", P),
                prologue(k2),
                "Applying patch first.patch... done.",
                "Applying patch sub/second.patch... done.",
                "Building module(s)... done.",
                signing(P, "1.0", P)));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(descriptions.get(0).result().stdoutLines()).containsExactly("patched: first");
    assertThat(descriptions.get(1).result().stdoutLines())
        .containsExactly("patched: first, second");
  }

  @Test
  void missingPatchExits5(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = added(sb, P + "-1.0", PV);
    b.setup("sed -i 's|^PATCH\\[1\\]=.*|PATCH[1]=\"missing.patch\"|' " + PCONF);
    var missing = b.step("dkms build " + PV + " -k " + k);
    // An absolute name is looked for under patches/ too: /etc/passwd exists, patches//etc/passwd
    // not.
    b.setup("sed -i 's|^PATCH\\[1\\]=.*|PATCH[1]=\"/etc/passwd\"|' " + PCONF);
    var absolute = b.step("dkms build " + PV + " -k " + k);
    var status = b.step("dkms status");
    b.run();

    for (var step : List.of(missing, absolute)) {
      Result r = step.result();
      String patch = step == missing ? "missing.patch" : "/etc/passwd";
      assertThat(r.exitCode()).as(r.describe()).isEqualTo(5);
      assertThat(r.stdoutLines())
          .as(r.describe())
          .containsExactlyElementsOf(lines(prologue(k), "Applying patch first.patch... done."));
      assertThat(r.stderrLines())
          .as(r.describe())
          .containsExactly(
              "",
              "Error! Patch " + patch + " as specified in dkms.conf cannot be",
              "found in /var/lib/dkms/" + PV + "/build/patches/.");
    }
    assertThat(status.result().stdoutLines()).containsExactly(PV + ": added");
  }

  @Test
  void patchPathWithDotDotExits5(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = added(sb, P + "-1.0", PV);
    b.setup("sed -i 's|^PATCH\\[1\\]=.*|PATCH[1]=\"../dkms.conf\"|' " + PCONF);
    var up = b.step("dkms build " + PV + " -k " + k);
    b.setup("sed -i 's|^PATCH\\[1\\]=.*|PATCH[1]=\"sub/../first.patch\"|' " + PCONF);
    var inner = b.step("dkms build " + PV + " -k " + k);
    var status = b.step("dkms status");
    b.run();

    for (var step : List.of(up, inner)) {
      Result r = step.result();
      String patch = step == up ? "../dkms.conf" : "sub/../first.patch";
      assertThat(r.exitCode()).as(r.describe()).isEqualTo(5);
      assertThat(r.stdoutLines())
          .as(r.describe())
          .containsExactlyElementsOf(lines(prologue(k), "Applying patch first.patch... done."));
      assertThat(r.stderrLines())
          .as(r.describe())
          .containsExactly(
              "",
              "Error! Patch " + patch + " as specified in dkms.conf contains '..' path component.");
    }
    assertThat(status.result().stdoutLines()).containsExactly(PV + ": added");
  }

  @Test
  void patchThatDoesNotApplyExits6AndIsLogged(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = added(sb, P + "-1.0", PV);
    b.setup("sed -i 's|^PATCH\\[1\\]=.*|PATCH[1]=\"not-applicable.patch\"|' " + PCONF);
    var build = b.step("dkms build " + PV + " -k " + k);
    var log = b.step("cat /var/lib/dkms/" + PV + "/build/make.log");
    var status = b.step("dkms status");
    b.run();

    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(6);
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Applying patch first.patch... done.",
                "Applying patch not-applicable.patch...(bad exit status: 1)",
                "Failed command:",
                "patch -p1 < ./patches/not-applicable.patch"));
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "",
            "Error! Application of patch not-applicable.patch failed.",
            "Consult /var/lib/dkms/" + PV + "/build/make.log for more information.");
    // The failed build's log stays in build/, ending with the failed patch's block.
    List<String> makeLog = makeLog(log.result());
    assertThat(makeLog.subList(makeLog.size() - 10, makeLog.size()))
        .containsExactlyElementsOf(
            block(
                "Applying patch not-applicable.patch",
                "patch -p1 < ./patches/not-applicable.patch",
                List.of(
                    "patching file " + P + ".c",
                    "Hunk #1 FAILED at 17.",
                    "1 out of 1 hunk FAILED -- saving rejects to file " + P + ".c.rej"),
                1));
    assertThat(status.result().stdoutLines()).containsExactly(PV + ": added");
  }

  @Test
  void patchesInEtcDkmsOverlayTheModulesOwn(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String ko = "/var/lib/dkms/" + P + "/1.0/" + k + "/" + Expect.ARCH + "/module/" + P + ".ko";
    Batch b = added(sb, P + "-1.0", PV);
    // Only sub/second.patch is overridden; first.patch still comes from the module's patches/.
    b.setup(
        "mkdir -p /etc/dkms/"
            + P
            + "/patches/sub && cp /usr/src/"
            + P
            + "-1.0/etc-overlay/sub/second.patch /etc/dkms/"
            + P
            + "/patches/sub/");
    var build = b.step("dkms build " + PV + " -k " + k);
    var description = b.step("modinfo -F description " + ko);
    b.run();

    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Applying patch first.patch... done.",
                "Applying patch sub/second.patch... done.",
                "Building module(s)... done.",
                signing(P, "1.0", P)));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(description.result().stdoutLines()).containsExactly("patched: first, etc");
  }

  @Test
  void scriptsRunInOrderWithTheirOutput(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(S + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    var add = b.step("dkms add " + SV);
    var install = b.step("dkms install " + SV + " -k " + k);
    var log = b.step("cat " + makeLogPath(S, k));
    var uninstall = b.step("dkms uninstall " + SV + " -k " + k);
    b.run();

    Result r = add.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Creating symlink /var/lib/dkms/" + SV + "/source -> /usr/src/" + S + "-1.0",
            "Running the post_add script:",
            "hook post_add: stdout");
    assertThat(r.stderrLines()).as(r.describe()).containsExactly("hook post_add: stderr");

    r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Running the pre_build script... done.",
                "Building module(s)... done.",
                signing(S, "1.0", S),
                "Running the post_build script... done.",
                "Running the pre_install script:",
                "hook pre_install: stdout",
                "Installing " + dest(k, S),
                "Running the post_install script:",
                "hook post_install: stdout",
                "Running depmod... done."));
    // PRE_BUILD and POST_BUILD write to make.log; the install scripts to the console.
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly("hook pre_install: stderr", "hook post_install: stderr");
    String build = "/var/lib/dkms/" + SV + "/build/";
    List<String> makeLog = makeLog(log.result());
    assertThat(makeLog.subList(2, 11))
        .containsExactlyElementsOf(
            block(
                "Running the pre_build script",
                "cd " + build + " && " + build + "hook.sh pre_build",
                List.of("hook pre_build: stdout", "hook pre_build: stderr"),
                0));
    assertThat(makeLog.subList(makeLog.size() - 9, makeLog.size()))
        .containsExactlyElementsOf(
            block(
                "Running the post_build script",
                "cd " + build + " && " + build + "hook.sh post_build",
                List.of("hook post_build: stdout", "hook post_build: stderr"),
                0));

    r = uninstall.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + SV + " for kernel " + Expect.ka(k) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k, S),
            "Running the post_remove script:",
            "hook post_remove: stdout",
            "Running depmod... done.");
    assertThat(r.stderrLines()).as(r.describe()).containsExactly("hook post_remove: stderr");
  }

  @Test
  void scriptArgumentsAreSplitAndGlobbedLikeAnUnquotedShellWord(Sandbox sb) {
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(S + "-1.0"));
    // Globs are expanded in the directory the script runs in (the source); a glob without a
    // match stays as it is.
    b.setup(
        "sed -i 's|^POST_ADD=.*|POST_ADD=\"hook.sh  post_add 0 *.c [h]ook.* no-match*\"|' "
            + SCONF);
    var add = b.step("dkms add " + SV);
    b.run();

    Result r = add.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Creating symlink /var/lib/dkms/" + SV + "/source -> /usr/src/" + S + "-1.0",
            "Running the post_add script:",
            "hook post_add: stdout",
            "hook arguments: " + S + ".c hook.sh no-match*");
    assertThat(r.stderrLines()).as(r.describe()).containsExactly("hook post_add: stderr");
  }

  @Test
  void failingPreInstallScriptExits101UnlessForced(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = added(sb, S + "-1.0", SV);
    b.setup("sed -i 's|^PRE_INSTALL=.*|PRE_INSTALL=\"hook.sh pre_install 3\"|' " + SCONF);
    var install = b.step("dkms install " + SV + " -k " + k);
    var status = b.step("dkms status");
    var forced = b.step("dkms install " + SV + " -k " + k + " --force");
    var after = b.step("dkms status");
    b.run();

    Result r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(101);
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Running the pre_build script... done.",
                "Building module(s)... done.",
                signing(S, "1.0", S),
                "Running the post_build script... done.",
                "Running the pre_install script:",
                "hook pre_install: stdout"));
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "hook pre_install: stderr",
            "",
            "Error! pre_install failed, aborting install.",
            "You may override by specifying --force.");
    assertThat(status.result().stdoutLines()).containsExactly(status(SV, k, "built"));

    r = forced.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Running the pre_install script:",
            "hook pre_install: stdout",
            "Installing " + dest(k, S),
            "Running the post_install script:",
            "hook post_install: stdout",
            "Running depmod... done.");
    assertThat(after.result().stdoutLines()).containsExactly(status(SV, k, "installed"));
  }

  @Test
  void failingPreBuildScriptStopsTheBuildWithItsExitStatus(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String build = "/var/lib/dkms/" + SV + "/build/";
    Batch b = added(sb, S + "-1.0", SV);
    b.setup("sed -i 's|^PRE_BUILD=.*|PRE_BUILD=\"hook.sh pre_build 3\"|' " + SCONF);
    var step = b.step("dkms build " + SV + " -k " + k);
    var log = b.step("cat " + build + "make.log");
    var status = b.step("dkms status");
    b.run();

    Result r = step.result();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Running the pre_build script...(bad exit status: 3)",
                "Failed command:",
                "cd " + build + " && " + build + "hook.sh pre_build 3",
                "Consult " + build + "make.log for more information."));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    List<String> makeLog = makeLog(log.result());
    assertThat(makeLog.subList(2, makeLog.size()))
        .containsExactlyElementsOf(
            block(
                "Running the pre_build script",
                "cd " + build + " && " + build + "hook.sh pre_build 3",
                List.of("hook pre_build: stdout", "hook pre_build: stderr"),
                3));
    assertThat(status.result().stdoutLines()).containsExactly(SV + ": added");
  }

  @Test
  void failingPostBuildScriptFailsTheBuildButKeepsTheModule(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String build = "/var/lib/dkms/" + SV + "/build/";
    Batch b = added(sb, S + "-1.0", SV);
    b.setup("sed -i 's|^POST_BUILD=.*|POST_BUILD=\"hook.sh post_build 4\"|' " + SCONF);
    var step = b.step("dkms build " + SV + " -k " + k);
    var status = b.step("dkms status");
    b.run();

    Result r = step.result();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(4);
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Running the pre_build script... done.",
                "Building module(s)... done.",
                signing(S, "1.0", S),
                "Running the post_build script...(bad exit status: 4)",
                "Failed command:",
                "cd " + build + " && " + build + "hook.sh post_build 4",
                "Consult " + build + "make.log for more information."));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(status.result().stdoutLines()).containsExactly(status(SV, k, "built"));
  }

  @Test
  void nonExecutableScriptIsSkippedWithAWarning(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(S + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    b.setup("chmod -x /usr/src/" + S + "-1.0/hook.sh");
    var add = b.step("dkms add " + SV);
    var build = b.step("dkms build " + SV + " -k " + k);
    var install = b.step("dkms install " + SV + " -k " + k);
    var uninstall = b.step("dkms uninstall " + SV + " -k " + k);
    b.run();

    // Each skipped script leaves an empty line on stdout where its output would have been.
    Result r = add.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Creating symlink /var/lib/dkms/" + SV + "/source -> /usr/src/" + S + "-1.0", "");
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly("Warning: The post_add script is not executable.");

    r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(prologue(k), "", "Building module(s)... done.", signing(S, "1.0", S), ""));
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "Warning: The pre_build script is not executable.",
            "Warning: The post_build script is not executable.");

    r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly("", "Installing " + dest(k, S), "", "Running depmod... done.");
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "Warning: The pre_install script is not executable.",
            "Warning: The post_install script is not executable.");

    r = uninstall.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + SV + " for kernel " + Expect.ka(k) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k, S),
            "",
            "Running depmod... done.");
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly("Warning: The post_remove script is not executable.");
  }

  @Test
  void scriptInEtcDkmsOverridesTheModulesOwn(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String etc = "/etc/dkms/" + S + "/";
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(S + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    b.setup(
        "mkdir -p "
            + etc
            + " && printf '#!/bin/sh\necho \"etc hook $*\"\necho \"etc hook $1: stderr\" >&2\n'"
            + " > "
            + etc
            + "hook.sh && chmod +x "
            + etc
            + "hook.sh");
    var add = b.step("dkms add " + SV);
    var install = b.step("dkms install " + SV + " -k " + k);
    var log = b.step("cat " + makeLogPath(S, k));
    var remove = b.step("dkms remove " + SV + " --all");
    b.run();

    Result r = add.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Creating symlink /var/lib/dkms/" + SV + "/source -> /usr/src/" + S + "-1.0",
            "Running the post_add script:",
            "etc hook post_add");
    assertThat(r.stderrLines()).as(r.describe()).containsExactly("etc hook post_add: stderr");

    r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Running the pre_build script... done.",
                "Building module(s)... done.",
                signing(S, "1.0", S),
                "Running the post_build script... done.",
                "Running the pre_install script:",
                "etc hook pre_install",
                "Installing " + dest(k, S),
                "Running the post_install script:",
                "etc hook post_install",
                "Running depmod... done."));
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly("etc hook pre_install: stderr", "etc hook post_install: stderr");
    // Build scripts from /etc/dkms run there, not in the build directory.
    List<String> makeLog = makeLog(log.result());
    assertThat(makeLog.subList(2, 11))
        .containsExactlyElementsOf(
            block(
                "Running the pre_build script",
                "cd " + etc + " && " + etc + "hook.sh pre_build",
                List.of("etc hook pre_build", "etc hook pre_build: stderr"),
                0));

    r = remove.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + SV + " for kernel " + Expect.ka(k) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k, S),
            "Running the post_remove script:",
            "etc hook post_remove",
            "Running depmod... done.",
            "",
            "Deleting module " + SV + " completely from the DKMS tree.");
    assertThat(r.stderrLines()).as(r.describe()).containsExactly("etc hook post_remove: stderr");
  }
}
