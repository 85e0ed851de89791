package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Dnf;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jdkms rpm with Debian's real dnf 4.14 and rpm 4.18, a local repository, real Debian kernels
 * repackaged in Fedora's layout and module source packages as Fedora ships them (Dnf,
 * tests/fixtures/rpm). Everything happens through jdkms's rpm file triggers.
 */
class DnfTest {
  private static final String HELLO = "jdkms_hello-dkms";
  private static final String OTHER = "dkms_jd_test-dkms";

  private static SandboxFamily family;
  private static Sandbox template;
  private static List<String> kernels;

  @BeforeAll
  static void buildTheRepository() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms rpm, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    kernels = Kernels.newest(2);
    family = SandboxFamily.create("DnfTest");
    template = family.sandbox("template");
    Dnf.prepare(template, kernels).requireSuccess();
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  private static Sandbox fork(String name) {
    return family.fork(template, name);
  }

  private static String k(int i) {
    return kernels.get(i);
  }

  private static String installed(String module, String version, String kernel) {
    return module + "/" + version + ", " + kernel + ", " + Kernels.arch() + ": installed";
  }

  private static List<String> status(Sandbox sb) {
    return sb.run("dkms", "status").stdoutLines();
  }

  @Test
  void oneTransactionWithTwoKernelsAndTwoModulesBuildsEachPairOnce() {
    Sandbox sb = fork("one");
    Result r =
        Dnf.dnf(
            sb,
            "install",
            "jdkms",
            HELLO + "-1.0",
            OTHER,
            Dnf.kernelPackage(k(0)),
            Dnf.kernelPackage(k(1)));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    System.out.println(
        "[measure] DnfTest: dnf install jdkms + 2 kernels + 2 modules, end to end: "
            + r.elapsed().toMillis()
            + " ms");
    assertThat(Dnf.builds(r)).as(r.describe()).isEqualTo(4);
    assertThat(Dnf.engineRuns(r)).as(r.describe()).isEqualTo(1);
    assertThat(status(sb))
        .containsExactlyInAnyOrder(
            installed("jdkms_hello", "1.0", k(0)),
            installed("jdkms_hello", "1.0", k(1)),
            installed("dkms_jd_test", "1.0", k(0)),
            installed("dkms_jd_test", "1.0", k(1)));
    for (String kernel : kernels) {
      Result mod =
          sb.sh("modinfo -F vermagic /usr/lib/modules/" + kernel + "/updates/dkms/jdkms_hello.ko");
      assertThat(mod.stdout()).as(mod.describe()).startsWith(kernel + " ");
      assertThat(sb.exists("/usr/lib/modules/" + kernel + "/updates/dkms/dkms_jd_test.ko"))
          .isTrue();
    }
    assertThat(sb.sh("ls -A /var/lib/dkms/.jdkms-rpm").stdout()).isEmpty();
  }

  @Test
  void kernelInstallFromTheKernelsPosttransBuildsAndTheTriggerFindsTheWorkDone() {
    // As on Fedora: kernel-core's %posttrans runs kernel-install, whose plugin (40-jdkms.install,
    // shipped in the jdkms rpm) builds for the new kernel; the file trigger, which rpm runs after
    // every %posttrans, fires for the same kernel and finds the work done.
    Sandbox sb = fork("kernel-install");
    Dnf.dnf(sb, "install", "jdkms", HELLO + "-1.0").requireSuccess();
    assertThat(sb.exists("/usr/lib/kernel/install.d/40-jdkms.install")).isTrue();
    sb.sh("touch /var/tmp/kernel-test-posttrans").requireSuccess();
    Result r = Dnf.dnf(sb, "install", Dnf.kernelPackage(k(0)));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    List<String> out = r.outputLines();
    int posttrans = out.indexOf("kernel-test: kernel-install add " + k(0));
    assertThat(posttrans).as(r.describe()).isNotNegative();
    int next = posttrans + 1;
    while (next < out.size() && !out.get(next).contains("Running scriptlet:")) {
      next++;
    }
    // The one build happens inside the kernel's %posttrans, i.e. by the kernel-install plugin.
    assertThat(out.subList(posttrans, next))
        .as(r.describe())
        .filteredOn(l -> l.startsWith("Building module(s)"))
        .hasSize(1);
    assertThat(Dnf.builds(r)).as(r.describe()).isEqualTo(1);
    assertThat(status(sb)).containsExactly(installed("jdkms_hello", "1.0", k(0)));
    assertThat(sb.exists("/usr/lib/modules/" + k(0) + "/updates/dkms/jdkms_hello.ko")).isTrue();
  }

  @Test
  void jdkmsModuleAndKernelInEveryOrderBuildOnce() {
    String[] pkgs = {"jdkms", HELLO + "-1.0", Dnf.kernelPackage(k(0))};
    int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    List<String> failures = new ArrayList<>();
    for (int[] order : orders) {
      Sandbox sb = fork("order");
      long builds = 0;
      StringBuilder log = new StringBuilder();
      for (int i : order) {
        Result r = Dnf.dnf(sb, "install", pkgs[i]);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        builds += Dnf.builds(r);
        log.append(pkgs[i]).append(": ").append(Dnf.builds(r)).append(" build(s); ");
      }
      List<String> st = status(sb);
      boolean ko = sb.exists("/usr/lib/modules/" + k(0) + "/updates/dkms/jdkms_hello.ko");
      if (builds != 1 || !ko || !st.equals(List.of(installed("jdkms_hello", "1.0", k(0))))) {
        failures.add(log + "status " + st + ", .ko installed: " + ko);
      }
    }
    assertThat(failures).as("orders that did not build exactly once").isEmpty();
  }

  @Test
  void aNewerKernelIsBuiltForAndRemovingTheOldOneLeavesNothingOfIt() {
    Sandbox sb = fork("kernels");
    Dnf.dnf(sb, "install", "jdkms", HELLO + "-1.0", Dnf.kernelPackage(k(0))).requireSuccess();
    Result up = Dnf.dnf(sb, "upgrade", "kernel-test");
    assertThat(up.exitCode()).as(up.describe()).isZero();
    assertThat(Dnf.builds(up)).as(up.describe()).isEqualTo(1);
    assertThat(status(sb))
        .containsExactlyInAnyOrder(
            installed("jdkms_hello", "1.0", k(0)), installed("jdkms_hello", "1.0", k(1)));

    Result rm = Dnf.dnf(sb, "remove", Dnf.kernelPackage(k(0)));
    assertThat(rm.exitCode()).as(rm.describe()).isZero();
    assertThat(status(sb)).containsExactly(installed("jdkms_hello", "1.0", k(1)));
    assertThat(sb.exists("/var/lib/dkms/jdkms_hello/1.0/" + k(0))).isFalse();
    Result left = sb.sh("find /usr/lib/modules/" + k(0) + " ! -type d 2>/dev/null");
    assertThat(left.stdoutLines()).as("files left under /usr/lib/modules/" + k(0)).isEmpty();
    assertThat(sb.exists("/usr/lib/modules/" + k(1) + "/updates/dkms/jdkms_hello.ko")).isTrue();
  }

  @Test
  void aModulePackageUpgradeReplacesItAndItsRemovalLeavesNothing() {
    Sandbox sb = fork("module");
    Dnf.dnf(
            sb,
            "install",
            "jdkms",
            HELLO + "-1.0",
            Dnf.kernelPackage(k(0)),
            Dnf.kernelPackage(k(1)))
        .requireSuccess();
    Result up = Dnf.dnf(sb, "upgrade", HELLO);
    assertThat(up.exitCode()).as(up.describe()).isZero();
    assertThat(up.output()).doesNotContain("jdkms: WARNING", "jdkms: ERROR");
    // One plan for the rpm transaction: 1.0 torn down (its source already gone), 2.0 built.
    assertThat(Dnf.engineRuns(up)).as(up.describe()).isEqualTo(1);
    assertThat(Dnf.builds(up)).as(up.describe()).isEqualTo(2);
    assertThat(status(sb))
        .containsExactlyInAnyOrder(
            installed("jdkms_hello", "2.0", k(0)), installed("jdkms_hello", "2.0", k(1)));
    assertThat(sb.exists("/var/lib/dkms/jdkms_hello/1.0")).isFalse();

    Result rm = Dnf.dnf(sb, "remove", HELLO);
    assertThat(rm.exitCode()).as(rm.describe()).isZero();
    assertThat(status(sb)).isEmpty();
    assertThat(sb.exists("/var/lib/dkms/jdkms_hello")).isFalse();
    Result left = sb.sh("find /usr/lib/modules -name 'jdkms_hello.ko*'");
    assertThat(left.stdoutLines()).isEmpty();
  }

  @Test
  void aNewReleaseOfTheSameModuleVersionIsRebuiltInPlace() {
    Sandbox sb = fork("release");
    Dnf.dnf(sb, "install", "jdkms", HELLO + "-2.0-1", Dnf.kernelPackage(k(0))).requireSuccess();
    Result up = Dnf.dnf(sb, "upgrade", HELLO + "-2.0-2");
    assertThat(up.exitCode()).as(up.describe()).isZero();
    assertThat(Dnf.builds(up)).as(up.describe()).isEqualTo(1);
    assertThat(up.output()).doesNotContain("jdkms: WARNING", "jdkms: ERROR");
    assertThat(status(sb)).containsExactly(installed("jdkms_hello", "2.0", k(0)));
    assertThat(sb.exists("/usr/lib/modules/" + k(0) + "/updates/dkms/jdkms_hello.ko")).isTrue();
  }

  @Test
  void reinstallingAKernelOrAModulePackageRebuildsWhatWasBuiltFromIt() {
    Sandbox sb = fork("reinstall");
    Dnf.dnf(
            sb,
            "install",
            "jdkms",
            HELLO + "-1.0",
            Dnf.kernelPackage(k(0)),
            Dnf.kernelPackage(k(1)))
        .requireSuccess();
    Result kernel = Dnf.dnf(sb, "reinstall", Dnf.kernelPackage(k(0)));
    assertThat(kernel.exitCode()).as(kernel.describe()).isZero();
    assertThat(Dnf.builds(kernel)).as(kernel.describe()).isEqualTo(1);
    assertThat(kernel.output()).contains("for kernel " + k(0)).doesNotContain("for kernel " + k(1));
    Result module = Dnf.dnf(sb, "reinstall", HELLO);
    assertThat(module.exitCode()).as(module.describe()).isZero();
    assertThat(Dnf.builds(module)).as(module.describe()).isEqualTo(2);
    assertThat(status(sb))
        .containsExactlyInAnyOrder(
            installed("jdkms_hello", "1.0", k(0)), installed("jdkms_hello", "1.0", k(1)));
  }

  @Test
  void aKernelAndAModuleRemovedInOneTransactionLeaveNothing() {
    Sandbox sb = fork("both-gone");
    Dnf.dnf(
            sb,
            "install",
            "jdkms",
            HELLO + "-1.0",
            OTHER,
            Dnf.kernelPackage(k(0)),
            Dnf.kernelPackage(k(1)))
        .requireSuccess();
    Result rm = Dnf.dnf(sb, "remove", HELLO, Dnf.kernelPackage(k(0)));
    assertThat(rm.exitCode()).as(rm.describe()).isZero();
    assertThat(Dnf.builds(rm)).as(rm.describe()).isZero();
    assertThat(status(sb)).containsExactly(installed("dkms_jd_test", "1.0", k(1)));
    assertThat(sb.sh("find /usr/lib/modules/" + k(0) + " ! -type d 2>/dev/null").stdoutLines())
        .isEmpty();
    assertThat(sb.sh("find /usr/lib/modules -name 'jdkms_hello.ko*'").stdoutLines()).isEmpty();
    assertThat(sb.sh("ls -A /var/lib/dkms/.jdkms-rpm").stdout()).isEmpty();
  }

  @Test
  void aModuleThatFailsToBuildDoesNotFailTheTransactionAndSaysSo() {
    Sandbox sb = fork("broken");
    Dnf.dnf(sb, "install", "jdkms", HELLO + "-1.0", Dnf.kernelPackage(k(0))).requireSuccess();
    Result r = Dnf.dnf(sb, "install", "jdkms_broken-dkms");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.output())
        .contains("jdkms: WARNING: module(s) failed to build or install")
        .contains("error:");
    assertThat(r.outputLines()).anyMatch(l -> l.startsWith("jdkms_broken/1.0") && l.contains(k(0)));
    assertThat(sb.run("rpm", "-q", "jdkms_broken-dkms").exitCode()).isZero();
    assertThat(status(sb)).contains(installed("jdkms_hello", "1.0", k(0)));
  }

  @Test
  void reinstallingJdkmsRebuildsAndRemovesNothing() {
    Sandbox sb = fork("self");
    Dnf.dnf(sb, "install", "jdkms", HELLO + "-1.0", Dnf.kernelPackage(k(0))).requireSuccess();
    Result r = Dnf.dnf(sb, "reinstall", "jdkms");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(Dnf.builds(r)).as(r.describe()).isZero();
    assertThat(r.output()).doesNotContain("removing module", "Deleting module");
    assertThat(status(sb)).containsExactly(installed("jdkms_hello", "1.0", k(0)));

    Result erase = Dnf.dnf(sb, "remove", "jdkms");
    assertThat(erase.exitCode()).as(erase.describe()).isZero();
    assertThat(erase.output()).doesNotContain("removing module", "Deleting module");
    assertThat(sb.exists("/usr/lib/modules/" + k(0) + "/updates/dkms/jdkms_hello.ko")).isTrue();
    assertThat(sb.exists("/var/lib/dkms/.jdkms-rpm")).isFalse();
  }
}
