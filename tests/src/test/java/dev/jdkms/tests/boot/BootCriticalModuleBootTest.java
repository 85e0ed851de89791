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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A boot-critical module ({@code REMAKE_INITRD=yes}) is inside the initramfs jdkms decided to
 * regenerate, and the kernel loads it from there, before the root filesystem is mounted. The module
 * arrives as a *-dkms package's postinst does it ({@code common.postinst}); the generator is told
 * to include and load it (as a storage driver's package would), and a script of the initramfs's
 * pre-mount stage reports /proc/modules. Once with initramfs-tools, once with dracut.
 */
class BootCriticalModuleBootTest {
  private static final String MODULE = "jdkms_hello";
  private static SandboxFamily family;
  private static Sandbox base;
  private static String kernel;

  @BeforeAll
  static void installJdkms() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms .deb, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    DebianRoot root = DebianRoot.of(GuestRoots.bookworm());
    kernel = root.kernels().get(0);
    family = SandboxFamily.create("BootCriticalModuleBootTest");
    base = family.sandbox("base").withRoot(root.path());
    Apt.installJdkms(base).requireSuccess();
    base.addFixture(MODULE + "-1.0", "/usr/src");
    base.sh("echo 'REMAKE_INITRD=\"yes\"' >> /usr/src/" + MODULE + "-1.0/dkms.conf")
        .requireSuccess();
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"initramfs-tools", "dracut"})
  void theModuleIsLoadedFromTheRegeneratedInitramfs(String generator) {
    Sandbox sb = family.fork(base, generator);
    if (generator.equals("dracut")) { // replaces initramfs-tools, remaking K's image its way
      sb.run(GuestRoots.initramfsProof(), generator, "-").requireSuccess();
      Apt.install(sb, "dracut").requireSuccess();
    }
    sb.run(GuestRoots.initramfsProof(), generator, MODULE).requireSuccess();
    String image = "/boot/initrd.img-" + kernel;
    String before = sb.run("sha256sum", image).requireSuccess().stdout();

    Result postinst = sb.run("/usr/lib/dkms/common.postinst", MODULE, "1.0");

    assertThat(postinst.exitCode()).as(postinst.describe()).isZero();
    assertThat(postinst.outputLines())
        .as(postinst.describe())
        .filteredOn(l -> l.startsWith("Rebuilding the initramfs of kernel " + kernel + " ("))
        .hasSize(1);
    assertThat(sb.run("sha256sum", image).requireSuccess().stdout()).isNotEqualTo(before);
    sb.run(GuestRoots.makeImage(), GuestRoots.OUT, kernel).requireSuccess();
    Vm.Outcome boot = GuestRoots.boot(sb, kernel, MODULE, family.dir().resolve("vm-" + generator));
    String why = "serial console's tail:\n" + boot.tail();
    assertThat(boot.first("initramfs-stage")).as(why).isEqualTo(generator + " pre-mount");
    assertThat(boot.first("initramfs-loaded")).as(why).startsWith(MODULE + " ");
    assertThat(boot.first("modprobe")).as(why).startsWith(MODULE + " exit=0 already=1");
  }
}
