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
import dev.jdkms.tests.harness.Prepared;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What dkms does with module files: compression chosen per kernel from the modules already there,
 * archiving and restoring a same-named original module, status suffixes of incomplete and broken
 * trees, several versions of one module. Expected output is upstream dkms 3.4.3's.
 */
@DkmsTest
class ModuleFilesTest {
  private static final String T = "dkms_jd_test";
  private static final String TV = T + "/1.0";

  /** dkms_jd_test/1.0 built for both kernels (not installed), the MOK pair generated. */
  private static final Prepared BUILT =
      new Prepared(
          "built",
          b -> {
            List<String> ks = Kernels.newest(2);
            b.setup(Batch.copyFixture(T + "-1.0") + " && " + Batch.copyFixture(T + "-2.0"));
            b.setup(Expect.MOK_PAIR);
            b.setup("dkms build " + TV + " -k " + ks.get(0) + " -k " + ks.get(1) + " > /dev/null");
          });

  private static Batch withFixtures(Sandbox sb, String... fixtures) {
    Batch b = new Batch(sb);
    for (String f : fixtures) {
      b.setup(Batch.copyFixture(f));
    }
    b.setup(Expect.MOK_PAIR);
    return b;
  }

  private static String treeModule(String k) {
    return "/var/lib/dkms/" + TV + "/" + k + "/" + Expect.ARCH + "/module/" + T + ".ko";
  }

  /**
   * Shell text: decompresses {@code file} with {@code cat} to a plain .ko and prints its signer.
   */
  private static String signerOfCompressed(String cat, String file) {
    return cat
        + " "
        + file
        + " > /tmp/m.ko && modinfo -F version /tmp/m.ko && modinfo -F signer /tmp/m.ko";
  }

  @Test
  void modulesAreXzCompressedForAKernelWhoseModulesAre(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    Batch b = withFixtures(sb, T + "-1.0");
    // Only the first kernel has (a dummy) xz-compressed module.
    b.setup(
        "mkdir -p /lib/modules/"
            + k1
            + "/kernel/drivers/jd && echo dummy | xz > /lib/modules/"
            + k1
            + "/kernel/drivers/jd/foo.ko.xz");
    b.setup("dkms add " + TV);
    var build1 = b.step("dkms build " + TV + " -k " + k1);
    var build2 = b.step("dkms build " + TV + " -k " + k2);
    var install1 = b.step("dkms install " + TV + " -k " + k1);
    var install2 = b.step("dkms install " + TV + " -k " + k2);
    var files = b.step("find /var/lib/dkms/" + T + " /lib/modules/*/updates -name '*.ko*' | sort");
    var xz = b.step("xz -lvv " + dest(k1, T) + ".xz");
    var signer = b.step(signerOfCompressed("xzcat", dest(k1, T) + ".xz"));
    var uninstall = b.step("dkms uninstall " + TV + " -k " + k1);
    b.run();

    for (var step : List.of(build1, build2)) {
      String k = step == build1 ? k1 : k2;
      Result r = step.result();
      assertThat(r.exitCode()).as(r.describe()).isZero();
      // Signing comes first, so the message names the plain .ko.
      assertThat(r.stdoutLines())
          .as(r.describe())
          .containsExactlyElementsOf(
              lines(prologue(k), "Building module(s)... done.", signing(T, "1.0", T)));
    }
    assertThat(install1.result().stdoutLines())
        .as(install1.result().describe())
        .containsExactly("Installing " + dest(k1, T) + ".xz", "Running depmod... done.");
    assertThat(install2.result().stdoutLines())
        .as(install2.result().describe())
        .containsExactly("Installing " + dest(k2, T), "Running depmod... done.");
    assertThat(files.result().stdoutLines())
        .containsExactlyInAnyOrder(
            dest(k1, T) + ".xz", dest(k2, T), treeModule(k1) + ".xz", treeModule(k2));
    // xz with a CRC32 check (the kernel's decompressor rejects CRC64) and a 1 MiB dictionary.
    Result list = xz.result();
    assertThat(list.exitCode()).as(list.describe()).isZero();
    assertThat(list.stdoutLines())
        .as(list.describe())
        .anyMatch(l -> l.matches("\\s*Check:\\s+CRC32"))
        .anyMatch(l -> l.contains("--lzma2=dict=1MiB"));
    assertThat(signer.result().stdoutLines()).containsExactly("1.0", "DKMS module signing key");
    assertThat(uninstall.result().stdoutLines())
        .containsExactly(
            "Module " + TV + " for kernel " + ka(k1) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k1, T) + ".xz",
            "Running depmod... done.");
  }

  @Test
  void modulesAreGzipCompressedForAKernelWhoseModulesAre(Sandbox sb) {
    compressed(sb, "gzip", ".gz", "zcat", "gzip -t");
  }

  @Test
  void modulesAreZstdCompressedForAKernelWhoseModulesAre(Sandbox sb) {
    compressed(sb, "zstd -q", ".zst", "zstdcat -q", "zstd -q -t");
  }

  private static void compressed(
      Sandbox sb, String compress, String ext, String cat, String check) {
    String k = Kernels.newest(1).get(0);
    Batch b = withFixtures(sb, T + "-1.0");
    b.setup(
        "mkdir -p /lib/modules/"
            + k
            + "/kernel/drivers/jd && echo dummy | "
            + compress
            + " > /lib/modules/"
            + k
            + "/kernel/drivers/jd/foo.ko"
            + ext);
    b.setup("dkms add " + TV);
    var install = b.step("dkms install " + TV + " -k " + k);
    var files = b.step("find /var/lib/dkms/" + T + " /lib/modules/*/updates -name '*.ko*' | sort");
    var test = b.step(check + " " + dest(k, T) + ext);
    var signer = b.step(signerOfCompressed(cat, dest(k, T) + ext));
    b.run();

    Result r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                prologue(k),
                "Building module(s)... done.",
                signing(T, "1.0", T),
                "Installing " + dest(k, T) + ext,
                "Running depmod... done."));
    assertThat(files.result().stdoutLines())
        .containsExactlyInAnyOrder(dest(k, T) + ext, treeModule(k) + ext);
    assertThat(test.result().exitCode()).as(test.result().describe()).isZero();
    assertThat(signer.result().stdoutLines()).containsExactly("1.0", "DKMS module signing key");
  }

  @Test
  void zstdWinsOverXzAndGzipWhenTheKernelHasAllThree(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    String dir = "/lib/modules/" + k + "/kernel/drivers/jd/";
    Batch b = withFixtures(sb, T + "-1.0");
    b.setup(
        "mkdir -p "
            + dir
            + " && echo | gzip > "
            + dir
            + "a.ko.gz && echo | xz > "
            + dir
            + "b.ko.xz && echo | zstd -q > "
            + dir
            + "c.ko.zst");
    var install = b.step("dkms install " + TV + " -k " + k);
    b.run();

    Result r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .endsWith("Installing " + dest(k, T) + ".zst", "Running depmod... done.");
  }

  @Test
  void preExistingModuleIsArchivedAndRestoredOnUninstall(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    String original = "/lib/modules/" + k1 + "/kernel/extra/" + T + ".ko";
    String archive = "/var/lib/dkms/" + T + "/original_module/" + k1 + "/" + Expect.ARCH + "/";
    Batch b = new Batch(BUILT.copyFor(sb));
    // An older module of the same name, on the first kernel only: a real ELF file with modinfo.
    b.setup(
        "mkdir -p /lib/modules/"
            + k1
            + "/kernel/extra && printf '%s\\n' 'static const char m[] __attribute__((used,"
            + " section(\".modinfo\"))) = \"version=0.9\\0license=GPL\\0name="
            + T
            + "\";' > /tmp/o.c && gcc -c -o "
            + original
            + " /tmp/o.c");
    var install = b.step("dkms install " + TV + " -k " + k1 + " -k " + k2);
    var status = b.step("dkms status");
    var archived =
        b.step("ls " + archive + " && cat " + archive + T + ".ko.origin; ls " + original);
    var uninstall = b.step("dkms uninstall " + TV + " -k " + k1);
    var restored = b.step("modinfo -F version " + original + "; ls " + dest(k1, T) + " " + archive);
    var after = b.step("dkms status");
    b.run();

    Result r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(
                "Found pre-existing " + original + ", archiving for uninstallation",
                "Installing " + dest(k1, T),
                "Running depmod... done.",
                "Installing " + dest(k2, T),
                "Running depmod... done."));
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    assertThat(status.result().stdoutLines())
        .containsExactly(
            status(TV, k1, "installed (Original modules exist)"), status(TV, k2, "installed"));
    // The original moved into the tree, with a note of where it came from.
    assertThat(archived.result().stdoutLines())
        .containsExactly(T + ".ko", T + ".ko.origin", original);
    assertThat(archived.result().stderrLines())
        .containsExactly("ls: cannot access '" + original + "': No such file or directory");

    r = uninstall.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + TV + " for kernel " + ka(k1) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Deleting " + dest(k1, T),
            "Restoring archived original module " + original,
            "Running depmod... done.");
    assertThat(restored.result().stdoutLines()).containsExactly("0.9");
    assertThat(restored.result().stderrLines())
        .containsExactly(
            "ls: cannot access '" + dest(k1, T) + "': No such file or directory",
            "ls: cannot access '" + archive + "': No such file or directory");
    assertThat(after.result().stdoutLines())
        .containsExactly(status(TV, k1, "built"), status(TV, k2, "installed"));
  }

  @Test
  void statusSuffixesReportIncompleteModules(Sandbox sb) {
    String k = Kernels.newest(2).get(0);
    Batch b = new Batch(BUILT.copyFor(sb));
    b.setup("dkms install " + TV + " -k " + k + " > /dev/null");
    b.setup("echo changed >> " + dest(k, T));
    var differs = b.step("dkms status -k " + k);
    b.setup("rm " + treeModule(k) + " " + dest(k, T));
    var missing = b.step("dkms status -k " + k);
    var uninstall = b.step("dkms uninstall " + TV + " -k " + k);
    var built = b.step("dkms status -k " + k);
    var install = b.step("dkms install " + TV + " -k " + k);
    b.run();

    assertThat(differs.result().stdoutLines())
        .containsExactly(
            status(TV, k, "installed (Differences between built and installed modules)"));
    assertThat(missing.result().stdoutLines())
        .containsExactly(
            status(TV, k, "installed (Built modules are missing in the kernel modules folder)"));
    Result r = uninstall.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Module " + TV + " for kernel " + ka(k) + ":",
            "Before uninstall, this module version was ACTIVE on this kernel.",
            "Module " + T + ".ko was not found within /lib/modules/" + k + "/",
            "Running depmod... done.");
    assertThat(built.result().stdoutLines())
        .containsExactly(
            status(TV, k, "built (Built modules are missing in the kernel modules folder)"));
    r = install.result();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(6);
    assertThat(r.stdout()).as(r.describe()).isEmpty();
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "",
            "Error! Missing module "
                + T
                + " in /var/lib/dkms/"
                + TV
                + "/"
                + k
                + "/"
                + Expect.ARCH
                + "/module");
  }

  @Test
  void moduleWithADanglingSourceLinkIsBrokenAndRefused(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    List<String> refused =
        List.of(
            "",
            "Error! " + TV + " is broken!",
            "Missing the source directory or the symbolic link pointing to it.",
            "Manual intervention is required!");
    Batch b = withFixtures(sb, T + "-1.0", T + "-2.0");
    b.setup("dkms add " + TV + " && dkms add " + T + "/2.0");
    b.setup("rm -r /usr/src/" + T + "-1.0");
    var status = b.step("dkms status");
    var other = b.step("dkms status " + T + "/2.0");
    var build = b.step("dkms build " + TV + " -k " + k);
    var remove = b.step("dkms remove " + TV + " --all");
    var tree = b.step("ls /var/lib/dkms/" + T);
    b.run();

    Result r = status.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines()).containsExactly(TV + ": broken", T + "/2.0: added");
    assertThat(r.stderrLines())
        .containsExactly(
            "",
            "Error! "
                + TV
                + ": Missing the module source directory or the symbolic link pointing to it.",
            "Manual intervention is required!");
    assertThat(other.result().output()).isEqualTo(T + "/2.0: added\n");
    for (var step : List.of(build, remove)) {
      r = step.result();
      assertThat(r.exitCode()).as(r.describe()).isEqualTo(4);
      assertThat(r.stdout()).as(r.describe()).isEmpty();
      assertThat(r.stderrLines()).as(r.describe()).containsExactlyElementsOf(refused);
    }
    assertThat(tree.result().stdoutLines()).containsExactly("1.0", "2.0");
  }

  @Test
  void installingAnotherVersionSwitchesTheActiveVersionOfThatKernel(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    String k1 = ks.get(0);
    String k2 = ks.get(1);
    String v2 = T + "/2.0";
    Batch b = new Batch(BUILT.copyFor(sb));
    b.setup("dkms install " + TV + " -k " + k1 + " -k " + k2 + " > /dev/null");
    b.setup("dkms add " + v2);
    var upgrade = b.step("dkms install " + v2 + " -k " + k1);
    var upgraded = b.step("dkms status");
    var older = b.step("dkms install " + TV + " -k " + k1);
    var forced = b.step("dkms install " + TV + " -k " + k1 + " --force");
    var back = b.step("dkms status");
    var links =
        b.step(
            "readlink /var/lib/dkms/"
                + T
                + "/kernel-"
                + k1
                + "-"
                + Expect.ARCH
                + "; modinfo -F version "
                + dest(k1, T));
    var inactive = b.step("dkms uninstall " + v2 + " -k " + k1);
    b.run();

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
                "Running depmod... done."));
    assertThat(upgraded.result().stdoutLines())
        .containsExactly(
            status(TV, k1, "built"), status(TV, k2, "installed"), status(v2, k1, "installed"));
    r = older.result();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(6);
    assertThat(r.stdout()).as(r.describe()).isEmpty();
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "",
            "Error! Module version 1.0 for " + T + ".ko",
            "is not newer than what is already found in kernel " + k1 + " (2.0).",
            "You may override by specifying --force.",
            "",
            "Error! Installation aborted.");
    r = forced.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly("Installing " + dest(k1, T), "Running depmod... done.");
    assertThat(back.result().stdoutLines())
        .containsExactly(
            status(TV, k1, "installed"), status(TV, k2, "installed"), status(v2, k1, "built"));
    assertThat(links.result().stdoutLines())
        .containsExactly("1.0/" + k1 + "/" + Expect.ARCH, "1.0");
    assertThat(inactive.result().stdoutLines())
        .containsExactly(
            "Module " + v2 + " is not installed for kernel " + ka(k1) + ". Skipping...");
  }
}
