package dev.jdkms.tests;

import static dev.jdkms.tests.Expect.dest;
import static dev.jdkms.tests.Expect.ka;
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
 * dkms.conf directives beyond the basics: BUILD_EXCLUSIVE_*, the deprecated ones, CRLF line ends, a
 * recipe without modules. Expected output is upstream dkms 3.4.3's.
 */
@DkmsTest
class DirectivesTest {
  private static final String E = "dkms_jd_exclusive_test";
  private static final String EV = E + "/1.0";
  private static final String T = "dkms_jd_test";
  private static final String TV = T + "/1.0";

  private static List<String> exclusiveWarning(String k) {
    return List.of(
        "Warning: The /var/lib/dkms/" + EV + "/" + k + "/" + Expect.ARCH + "/dkms.conf",
        "for module " + EV + " includes BUILD_EXCLUSIVE directives",
        "which do not match this kernel/arch/config for any modules.",
        "This indicates that it should not be built.");
  }

  @Test
  void buildExclusiveMismatchExits77WithAWarning(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(E + "-1.0"));
    var add = b.step("dkms add " + EV);
    var build = b.step("dkms build " + EV + " -k " + k);
    var install = b.step("dkms install " + EV + " -k " + k);
    var status = b.step("dkms status");
    var uninstall = b.step("dkms uninstall " + EV + " -k " + k);
    var tree = b.step("ls /var/lib/dkms/" + E + "/1.0");
    b.run();

    assertThat(add.result().exitCode()).as(add.result().describe()).isZero();
    for (var step : List.of(build, install)) {
      Result r = step.result();
      assertThat(r.exitCode()).as(r.describe()).isEqualTo(77);
      assertThat(r.stdout()).as(r.describe()).isEmpty();
      assertThat(r.stderrLines()).as(r.describe()).containsExactlyElementsOf(exclusiveWarning(k));
    }
    assertThat(status.result().stdoutLines()).containsExactly(EV + ": added");
    // Not installed, and nothing to say about it: the module is not meant for this kernel.
    Result r = uninstall.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.output()).as(r.describe()).isEmpty();
    assertThat(tree.result().stdoutLines()).containsExactly("build", "source");
  }

  @Test
  void buildExclusiveKernelIsJudgedPerKernel(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(E + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    // Only the second kernel matches.
    b.setup(
        "sed -i 's/^BUILD_EXCLUSIVE_ARCH=.*/BUILD_EXCLUSIVE_KERNEL=\"^"
            + k2.replace(".", "\\\\.")
            + "$\"/' /usr/src/"
            + E
            + "-1.0/dkms.conf");
    b.setup("dkms add " + EV);
    var build = b.step("dkms build " + EV + " -k " + k1 + " -k " + k2);
    var status = b.step("dkms status");
    // The exit status is the last kernel's.
    var reversed = b.step("dkms build " + EV + " -k " + k2 + " -k " + k1);
    b.run();

    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(prologue(k2), "Building module(s)... done.", signing(E, "1.0", E)));
    assertThat(r.stderrLines()).as(r.describe()).containsExactlyElementsOf(exclusiveWarning(k1));
    assertThat(status.result().stdoutLines()).containsExactly(status(EV, k2, "built"));
    r = reversed.result();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(77);
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module "
                + EV
                + " already built for kernel "
                + ka(k2)
                + ", skip. You may override by specifying --force.");
    assertThat(r.stderrLines()).as(r.describe()).containsExactlyElementsOf(exclusiveWarning(k1));
  }

  @Test
  void autoinstallIgnoresAModuleWithoutAutoinstall(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String mv = "dkms_jd_noauto_test/1.0";
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture("dkms_jd_noauto_test-1.0"));
    b.setup("dkms add " + mv);
    List<Batch.Step> auto =
        List.of(b.step("dkms autoinstall -k " + k), b.step("dkms kernel_postinst -k " + k));
    var status = b.step("dkms status");
    b.run();

    for (var step : auto) {
      Result r = step.result();
      assertThat(r.exitCode()).as(r.describe()).isZero();
      assertThat(r.output()).as(r.describe()).isEmpty();
    }
    assertThat(status.result().stdoutLines()).containsExactly(mv + ": added");
  }

  @Test
  void autoinstallCountsABuildExclusiveModuleAsSkipped(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(E + "-1.0") + " && " + Batch.copyFixture(T + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    b.setup("dkms add " + EV + " && dkms add " + TV);
    var auto = b.step("dkms autoinstall -k " + k);
    var status = b.step("dkms status");
    b.run();

    Result r = auto.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Autoinstall of module " + EV + " for kernel " + ka(k),
                "",
                "Autoinstall of module " + TV + " for kernel " + ka(k),
                "Building module(s)... done.",
                signing(T, "1.0", T),
                "Installing " + dest(k, T),
                "Running depmod... done.",
                "",
                "Autoinstall on " + k + " succeeded for module(s) " + T + ".",
                "Autoinstall on " + k + " was skipped for module(s) " + E + "."));
    assertThat(r.stderrLines()).as(r.describe()).containsExactlyElementsOf(exclusiveWarning(k));
    assertThat(status.result().stdoutLines())
        .containsExactly(EV + ": added", status(TV, k, "installed"));
  }

  @Test
  void deprecatedDirectivesAreReportedOnAddBuildAndInstall(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String m = "dkms_jd_deprecated_test";
    String mv = m + "/1.0";
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(m + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    var add = b.step("dkms add " + mv);
    var build = b.step("dkms build " + mv + " -k " + k);
    var install = b.step("dkms install " + mv + " -k " + k);
    var status = b.step("dkms status");
    var uninstall = b.step("dkms uninstall " + mv + " -k " + k);
    var remove = b.step("dkms remove " + mv + " --all");
    // add + build + install in one go: the warnings come once, from the add
    var all = b.step("dkms install " + mv + " -k " + k);
    b.run();

    for (var step : List.of(add, build, install, all)) {
      Result r = step.result();
      // add reads the recipe in /usr/src, the other actions the tree's source link
      String conf =
          step == add || step == all
              ? "/usr/src/" + m + "-1.0/dkms.conf"
              : "/var/lib/dkms/" + mv + "/source/dkms.conf";
      assertThat(r.exitCode()).as(r.describe()).isZero();
      assertThat(r.stderrLines())
          .as(r.describe())
          .containsExactly(
              "Deprecated feature: CLEAN (" + conf + ")",
              "Deprecated feature: REMAKE_INITRD (" + conf + ")",
              "Deprecated feature: OBSOLETE_BY ("
                  + conf
                  + "): use BUILD_EXCLUSIVE_KERNEL_MAX instead");
    }
    assertThat(build.result().stdoutLines())
        .containsExactlyElementsOf(
            lines(prologue(k), "Building module(s)... done.", signing(m, "1.0", m)));
    // OBSOLETE_BY=99.0 is far ahead: the module installs.
    assertThat(install.result().stdoutLines())
        .containsExactly("Installing " + dest(k, m), "Running depmod... done.");
    assertThat(status.result().stdoutLines()).containsExactly(status(mv, k, "installed"));
    // Actions that do not read the recipe strictly say nothing about it.
    for (var step : List.of(uninstall, remove)) {
      assertThat(step.result().exitCode()).as(step.result().describe()).isZero();
      assertThat(step.result().stderr()).as(step.result().describe()).isEmpty();
    }
    assertThat(all.result().stdoutLines())
        .containsExactlyElementsOf(
            lines(
                "Creating symlink /var/lib/dkms/" + mv + "/source -> /usr/src/" + m + "-1.0",
                "",
                prologue(k),
                "Building module(s)... done.",
                signing(m, "1.0", m),
                "Installing " + dest(k, m),
                "Running depmod... done."));
  }

  @Test
  void crlfDkmsConfIsReadLikeAnyOther(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String m = "dkms_jd_crlf_test";
    String mv = m + "/1.0";
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(m + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    var crlf = b.step("grep -c $'\\r$' /usr/src/" + m + "-1.0/dkms.conf");
    var add = b.step("dkms add " + mv);
    var install = b.step("dkms install " + mv + " -k " + k);
    var status = b.step("dkms status");
    var modinfo = b.step("modinfo -F description " + dest(k, m));
    b.run();

    assertThat(crlf.result().stdoutLines())
        .as("the fixture has CRLF line ends")
        .containsExactly("6");
    Result r = add.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .containsExactly(
            "Creating symlink /var/lib/dkms/" + mv + "/source -> /usr/src/" + m + "-1.0");
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Building module(s)... done.",
                signing(m, "1.0", m),
                "Installing " + dest(k, m),
                "Running depmod... done."));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(status.result().stdoutLines()).containsExactly(status(mv, k, "installed"));
    assertThat(modinfo.result().stdoutLines())
        .containsExactly("jdkms test fixture: dkms.conf with CRLF line ends");
  }

  @Test
  void recipeWithZeroModulesWarnsOnEveryStrictRead(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String m = "dkms_jd_zero_test";
    String mv = m + "/1.0";
    String warning = "dkms.conf: Warning! Zero modules specified.";
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(m + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    var add = b.step("dkms add " + mv);
    var build = b.step("dkms build " + mv + " -k " + k);
    var install = b.step("dkms install " + mv + " -k " + k);
    var status = b.step("dkms status");
    var module = b.step("ls -A /var/lib/dkms/" + mv + "/" + k + "/" + Expect.ARCH + "/module");
    var remove = b.step("dkms remove " + mv + " --all");
    // add + build + install in one go: one warning per strict read
    var all = b.step("dkms install " + mv + " -k " + k);
    b.run();

    Result r = add.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .containsExactly(
            "Creating symlink /var/lib/dkms/" + mv + "/source -> /usr/src/" + m + "-1.0");
    assertThat(r.stderrLines()).as(r.describe()).containsExactly(warning);
    r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(lines(prologue(k), "Building module(s)... done."));
    assertThat(r.stderrLines()).as(r.describe()).containsExactly(warning);
    r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines()).as(r.describe()).containsExactly("Running depmod... done.");
    assertThat(r.stderrLines()).as(r.describe()).containsExactly(warning);
    // Nothing built, nothing installed, and yet "installed".
    assertThat(status.result().stdoutLines()).containsExactly(status(mv, k, "installed"));
    assertThat(module.result().stdout()).isEmpty();
    r = remove.result();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + mv + " for kernel " + ka(k) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Running depmod... done.",
            "",
            "Deleting module " + mv + " completely from the DKMS tree.");
    r = all.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                "Creating symlink /var/lib/dkms/" + mv + "/source -> /usr/src/" + m + "-1.0",
                "",
                prologue(k),
                "Building module(s)... done.",
                "Running depmod... done."));
    assertThat(r.stderrLines()).as(r.describe()).containsExactly(warning, warning, warning);
  }
}
