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
 * BUILD_DEPENDS and BUILD_DEPENDS_REBUILD: the dependent fixtures need dkms_jd_test installed for
 * the same kernel. Expected output is upstream dkms 3.4.3's.
 */
@DkmsTest
class DependenciesTest {
  private static final String T = "dkms_jd_test";
  private static final String TV = T + "/1.0";
  private static final String D = "dkms_jd_depends_test";
  private static final String DV = D + "/1.0";
  private static final String R = "dkms_jd_rebuild_test";
  private static final String RV = R + "/1.0";

  private static Batch withFixtures(Sandbox sb, String... fixtures) {
    Batch b = new Batch(sb);
    for (String f : fixtures) {
      b.setup(Batch.copyFixture(f));
    }
    b.setup(Expect.MOK_PAIR);
    return b;
  }

  @Test
  void buildWithoutItsDependencyInstalledForThatKernelExits13(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    Batch b = withFixtures(sb, T + "-1.0", D + "-1.0");
    b.setup("dkms install " + TV + " -k " + k1 + " > /dev/null");
    b.setup("dkms add " + DV);
    var missing = b.step("dkms build " + DV + " -k " + k2);
    var present = b.step("dkms build " + DV + " -k " + k1);
    var status = b.step("dkms status " + D);
    b.run();

    Result r = missing.result();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(13);
    assertThat(r.stdoutLines()).as(r.describe()).containsExactlyElementsOf(prologue(k2));
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "",
            "Error! Aborting build of module "
                + DV
                + " for kernel "
                + ka(k2)
                + " due to missing BUILD_DEPENDS: "
                + T
                + ".",
            "You may override by specifying --force.");
    r = present.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(prologue(k1), "Building module(s)... done.", signing(D, "1.0", D)));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(status.result().stdoutLines()).containsExactly(status(DV, k1, "built"));
  }

  @Test
  void forceBuildsDespiteAMissingDependencyWithAWarning(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = withFixtures(sb, D + "-1.0");
    b.setup("dkms add " + DV);
    var build = b.step("dkms build " + DV + " -k " + k + " --force");
    var status = b.step("dkms status");
    b.run();

    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(prologue(k), "Building module(s)... done.", signing(D, "1.0", D)));
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "Warning: Trying to build module "
                + DV
                + " for kernel "
                + ka(k)
                + " despite of missing BUILD_DEPENDS: "
                + T
                + ".");
    assertThat(status.result().stdoutLines()).containsExactly(status(DV, k, "built"));
  }

  @Test
  void autoinstallInstallsTheDependencyFirst(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = withFixtures(sb, T + "-1.0", D + "-1.0");
    // dkms_jd_depends_test comes first in the tree's order, yet must wait for dkms_jd_test.
    b.setup("dkms add " + DV + " && dkms add " + TV);
    var auto = b.step("dkms autoinstall -k " + k);
    var status = b.step("dkms status");
    var again = b.step("dkms autoinstall -k " + k);
    b.run();

    Result r = auto.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Autoinstall of module " + TV + " for kernel " + ka(k),
                "Building module(s)... done.",
                signing(T, "1.0", T),
                "Installing " + dest(k, T),
                "Running depmod... done.",
                "",
                "Autoinstall of module " + DV + " for kernel " + ka(k),
                "Building module(s)... done.",
                signing(D, "1.0", D),
                "Installing " + dest(k, D),
                "Running depmod... done.",
                "",
                "Autoinstall on " + k + " succeeded for module(s) " + T + " " + D + "."));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(status.result().stdoutLines())
        .containsExactly(status(DV, k, "installed"), status(TV, k, "installed"));
    // Nothing left to do: no output at all.
    assertThat(again.result().exitCode()).isZero();
    assertThat(again.result().output()).as(again.result().describe()).isEmpty();
  }

  @Test
  void autoinstallDefersAModuleWhoseDependencyIsNotInDkms(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = withFixtures(sb, D + "-1.0");
    b.setup("dkms add " + DV);
    var auto = b.step("dkms autoinstall -k " + k);
    var status = b.step("dkms status");
    b.run();

    Result r = auto.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            DV + " autoinstall deferred: BUILD_DEPENDS not registered with DKMS: " + T + ".",
            "Autoinstall on "
                + k
                + " deferred module(s) "
                + DV
                + " due to BUILD_DEPENDS not yet registered with DKMS.",
            "These may be provided externally or by a package not yet configured; autoinstall"
                + " will retry on the next trigger.");
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(status.result().stdoutLines()).containsExactly(DV + ": added");
  }

  @Test
  void dependencyUpgradeRebuildsTheDependentOnThatKernelOnly(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    String a = Expect.ARCH;
    Batch b = withFixtures(sb, T + "-1.0", T + "-2.0", R + "-1.0");
    b.setup("dkms install " + TV + " -k " + k1 + " -k " + k2 + " > /dev/null");
    var install = b.step("dkms install " + RV + " -k " + k1 + " -k " + k2);
    var depsBefore =
        b.step(
            "cat /var/lib/dkms/"
                + RV
                + "/"
                + k1
                + "/"
                + a
                + "/.dep_"
                + T
                + " /var/lib/dkms/"
                + RV
                + "/"
                + k2
                + "/"
                + a
                + "/.dep_"
                + T);
    b.setup("dkms add " + T + "/2.0");
    var upgrade = b.step("dkms install " + T + "/2.0 -k " + k1);
    var depsAfter =
        b.step(
            "cat /var/lib/dkms/"
                + R
                + "/kernel-"
                + k1
                + "-"
                + a
                + "/.dep_"
                + T
                + " /var/lib/dkms/"
                + R
                + "/kernel-"
                + k2
                + "-"
                + a
                + "/.dep_"
                + T);
    var status = b.step("dkms status");
    b.run();

    assertThat(install.result().exitCode()).as(install.result().describe()).isZero();
    // Each build records the version of the dependency it was built against.
    assertThat(depsBefore.result().stdoutLines()).containsExactly("1.0", "1.0");

    Result r = upgrade.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k1),
                "Building module(s)... done.",
                signing(T, "2.0", T),
                "Installing " + dest(k1, T),
                "Running depmod... done.",
                "",
                "Rebuilding module " + RV + " due to updated dependencies",
                "",
                "Module " + RV + " for kernel " + ka(k1) + ":",
                "Before uninstall, this module version was ACTIVE on this kernel.",
                "Deleting " + dest(k1, R),
                "Running depmod... done.",
                "Building module(s)... done.",
                signing(R, "1.0", R),
                "Installing " + dest(k1, R),
                "Running depmod... done."));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(depsAfter.result().stdoutLines()).containsExactly("2.0", "1.0");
    assertThat(status.result().stdoutLines())
        .containsExactly(
            status(RV, k1, "installed"),
            status(RV, k2, "installed"),
            status(TV, k1, "built"),
            status(TV, k2, "installed"),
            status(T + "/2.0", k1, "installed"));
  }
}
