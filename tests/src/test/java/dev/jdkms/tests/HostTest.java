package dev.jdkms.tests;

import static dev.jdkms.tests.Expect.dest;
import static dev.jdkms.tests.Expect.ka;
import static dev.jdkms.tests.Expect.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.Batch;
import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Prepared;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * dkms and the system around it: the post_transaction hook, /etc/dkms/no-autoinstall, os-release,
 * and the kernel package hooks kernel_preinst and kernel_prerm. Expected output is upstream dkms
 * 3.4.3's.
 */
@DkmsTest
class HostTest {
  private static final String T = "dkms_jd_test";
  private static final String TV = T + "/1.0";
  private static final String N = "dkms_jd_noauto_test";
  private static final String NV = N + "/1.0";

  /** Both modules installed on both kernels: built once, then copied for each test using it. */
  private static final Prepared BOTH_INSTALLED =
      new Prepared(
          "both-installed",
          b -> {
            List<String> ks = Kernels.newest(2);
            b.setup(Batch.copyFixture(T + "-1.0") + " && " + Batch.copyFixture(N + "-1.0"));
            b.setup(Expect.MOK_PAIR);
            for (String mv : List.of(TV, NV)) {
              b.setup(
                  "dkms install " + mv + " -k " + ks.get(0) + " -k " + ks.get(1) + " > /dev/null");
            }
          });

  @Test
  void postTransactionRunsOnceAfterEachChangeAndIsLogged(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    String log = "cat /var/lib/dkms/post_transaction.log";
    String conf = "/etc/dkms/framework.conf.d/jd-post.conf";
    String echo = "post_transaction=\"echo after a change for $kernelver; echo to stderr >&2\"";
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(T + "-1.0"));
    b.setup(Expect.MOK_PAIR);
    b.setup("dkms build " + TV + " -k " + k1 + " -k " + k2 + " > /dev/null");
    b.setup("mkdir -p /etc/dkms/framework.conf.d && echo " + Batch.quote(echo) + " > " + conf);
    var install = b.step("dkms install " + TV + " -k " + k1 + " -k " + k2);
    var installLog = b.step(log);
    var uninstall = b.step("dkms uninstall " + TV + " -k " + k2);
    var uninstallLog = b.step(log);
    b.setup("echo 'post_transaction=false' > " + conf);
    var failing = b.step("dkms install " + TV + " -k " + k2);
    var failingLog = b.step(log);
    b.setup("echo " + Batch.quote(echo) + " > " + conf);
    var remove = b.step("dkms remove " + TV + " --all");
    b.run();

    Result r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Installing " + dest(k1, T),
            "Running depmod... done.",
            "Installing " + dest(k2, T),
            "Running depmod... done.",
            "Executing post-transaction command... done.");
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    // The log holds the last command's block, its output on both streams; ${kernelver} is the
    // first kernel of the command line.
    assertThat(elapsedBlanked(installLog.result())).containsExactlyElementsOf(echoBlock(k1));
    r = uninstall.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + TV + " for kernel " + ka(k2) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k2, T),
            "Running depmod... done.",
            "Executing post-transaction command... done.");
    assertThat(elapsedBlanked(uninstallLog.result())).containsExactlyElementsOf(echoBlock(k2));
    // A failing command is reported, but the installation stands.
    r = failing.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Installing " + dest(k2, T),
            "Running depmod... done.",
            "Executing post-transaction command...(bad exit status: 1)",
            "Failed command:",
            "false");
    assertThat(elapsedBlanked(failingLog.result()))
        .containsExactly(
            "",
            "Executing post-transaction command",
            "# command: false",
            "",
            "# exit code: 1",
            "# elapsed time: T",
            "----------------------------------------------------------------");
    r = remove.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + TV + " for kernel " + ka(k1) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k1, T),
            "Running depmod... done.",
            "",
            "Module " + TV + " for kernel " + ka(k2) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k2, T),
            "Running depmod... done.",
            "",
            "Deleting module " + TV + " completely from the DKMS tree.",
            "Executing post-transaction command... done.");
  }

  private static List<String> echoBlock(String k) {
    return List.of(
        "",
        "Executing post-transaction command",
        "# command: echo after a change for " + k + "; echo to stderr >&2",
        "after a change for " + k,
        "to stderr",
        "",
        "# exit code: 0",
        "# elapsed time: T",
        "----------------------------------------------------------------");
  }

  private static List<String> elapsedBlanked(Result cat) {
    return cat.stdoutLines().stream()
        .map(s -> s.replaceFirst("^# elapsed time: \\d\\d:\\d\\d:\\d\\d$", "# elapsed time: T"))
        .toList();
  }

  @Test
  void noAutoinstallFileDisablesAutomaticInstallation(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(T + "-1.0"));
    b.setup("dkms add " + TV + " && touch /etc/dkms/no-autoinstall");
    List<Batch.Step> steps =
        List.of(
            b.step("dkms autoinstall -k " + k),
            b.step("dkms kernel_postinst -k " + k),
            b.step("/usr/lib/dkms/dkms_autoinstaller start " + k));
    var status = b.step("dkms status");
    b.run();

    for (var step : steps) {
      Result r = step.result();
      assertThat(r.exitCode()).as(r.describe()).isZero();
      assertThat(r.stdoutLines())
          .as(r.describe())
          .containsExactly("Automatic installation of modules has been disabled.");
      assertThat(r.stderr()).as(r.describe()).isEmpty();
    }
    assertThat(status.result().stdoutLines()).containsExactly(TV + ": added");
  }

  @Test
  void missingOsReleaseExits4ForEveryAction(Sandbox sb) {
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(T + "-1.0"));
    b.setup("mv /etc/os-release /root/etc-os-release && mv /usr/lib/os-release /root/");
    List<Batch.Step> refused =
        List.of(b.step("dkms add " + TV), b.step("dkms status"), b.step("dkms --version"));
    var tree = b.step("ls -A /var/lib/dkms");
    // Either file is enough.
    b.setup("cp /root/os-release /usr/lib/os-release");
    var add = b.step("dkms add " + TV);
    b.run();

    for (var step : refused) {
      Result r = step.result();
      assertThat(r.exitCode()).as(r.describe()).isEqualTo(4);
      assertThat(r.stdout()).as(r.describe()).isEmpty();
      assertThat(r.stderrLines())
          .as(r.describe())
          .containsExactly("", "Error! System is missing os-release file.");
    }
    assertThat(tree.result().output()).isEmpty();
    Result r = add.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .containsExactly(
            "Creating symlink /var/lib/dkms/" + TV + "/source -> /usr/src/" + T + "-1.0");
  }

  @Test
  void kernelPreinstRemovesOnlyTheAutoinstallModulesOfItsKernel(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    Batch b = new Batch(BOTH_INSTALLED.copyFor(sb));
    var preinst = b.step("dkms kernel_preinst -k " + k1);
    var status = b.step("dkms status");
    var files = b.step("find /lib/modules/" + k1 + "/updates -name '*.ko' | sort");
    b.run();

    Result r = preinst.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + TV + " for kernel " + ka(k1) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k1, T),
            "Running depmod... done.");
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly("dkms: removing module " + TV + " for kernel " + ka(k1));
    // Unbuilt, not just uninstalled, so that the next kernel_postinst rebuilds it.
    assertThat(status.result().stdoutLines())
        .containsExactly(
            status(NV, k1, "installed"), status(NV, k2, "installed"), status(TV, k2, "installed"));
    assertThat(files.result().stdoutLines()).containsExactly(dest(k1, N));
  }

  @Test
  void kernelPrermRemovesEveryModuleOfItsKernel(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    Batch b = new Batch(BOTH_INSTALLED.copyFor(sb));
    var prerm = b.step("dkms kernel_prerm -k " + k1);
    var status = b.step("dkms status");
    var kernelDir = b.step("ls /lib/modules/" + k1);
    b.run();

    Result r = prerm.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + NV + " for kernel " + ka(k1) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k1, N),
            "",
            "Module " + TV + " for kernel " + ka(k1) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k1, T),
            "",
            "Running depmod... done.");
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "dkms: removing module " + NV + " for kernel " + ka(k1),
            "dkms: removing module " + TV + " for kernel " + ka(k1));
    assertThat(status.result().stdoutLines())
        .containsExactly(status(NV, k2, "installed"), status(TV, k2, "installed"));
    // The emptied module directories are gone too.
    assertThat(kernelDir.result().stdoutLines()).containsExactly("build", "source");
  }
}
