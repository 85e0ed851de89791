package dev.jdkms.tests.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.Apt;
import dev.jdkms.tests.harness.DebianRoot;
import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import dev.jdkms.tests.harness.Vm;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A kernel upgrade, proven in a booted kernel. A Debian 12 guest root with kernel K1, the jdkms
 * .deb and Debian's v4l2loopback-dkms gets kernel K2 (image and headers) with apt, so the real
 * hooks build the module for K2; then each kernel boots in QEMU (OVMF, TCG) with the root as its
 * disk and its own initramfs-tools image, and the guest loads the module from /lib/modules.
 */
class KernelUpgradeBootTest {
  private static final String MODULE = "v4l2loopback";
  private static SandboxFamily family;
  private static Sandbox sb;
  private static List<String> kernels;
  private static Result upgrade;
  private static Result status;

  @BeforeAll
  static void upgradeTheKernel() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms .deb, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    DebianRoot root = DebianRoot.of(GuestRoots.bookworm());
    kernels = root.kernels();
    family = SandboxFamily.create("KernelUpgradeBootTest");
    sb = family.sandbox("guest").withRoot(root.path());
    Apt.installJdkms(sb).requireSuccess();
    Apt.installFiles(sb, DebianRoot.DEBS, MODULE + "-dkms_*.deb").requireSuccess();
    upgrade = Apt.installFiles(sb, DebianRoot.KERNEL_DEBS, "*.deb");
    status = sb.run("dkms", "status", MODULE);
    sb.run(GuestRoots.makeImage(), GuestRoots.OUT, kernels.get(0), kernels.get(1)).requireSuccess();
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  @Test
  void theKernelHookBuiltTheModuleForTheNewKernel() {
    assertThat(upgrade.exitCode()).as(upgrade.describe()).isZero();
    assertThat(status.outputLines())
        .as(status.describe())
        .anySatisfy(
            l -> assertThat(l).contains(", " + kernels.get(1) + ", ").endsWith(": installed"))
        .anySatisfy(
            l -> assertThat(l).contains(", " + kernels.get(0) + ", ").endsWith(": installed"));
  }

  @Test
  void theNewKernelBootsAndLoadsItsModule() {
    assertModuleLoads(kernels.get(1));
  }

  @Test
  void theOldKernelStillLoadsItsModule() {
    assertModuleLoads(kernels.get(0));
  }

  private static void assertModuleLoads(String kernel) {
    Vm.Outcome boot = GuestRoots.boot(sb, kernel, MODULE, family.dir().resolve("vm-" + kernel));
    String why = "serial console's tail:\n" + boot.tail();
    assertThat(boot.first("kernel")).as(why).isEqualTo(kernel);
    assertThat(boot.first("modprobe")).as(why).startsWith(MODULE + " exit=0 ");
    assertThat(boot.first("loaded")).as(why).startsWith(MODULE + " ");
    assertThat(boot.first("file"))
        .as(why)
        .isEqualTo(MODULE + " /lib/modules/" + kernel + "/updates/dkms/" + MODULE + ".ko");
    assertThat(boot.first("vermagic")).as(why).startsWith(MODULE + " " + kernel + " SMP ");
  }
}
