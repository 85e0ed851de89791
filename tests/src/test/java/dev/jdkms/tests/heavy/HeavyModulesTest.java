package dev.jdkms.tests.heavy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.Apt;
import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The heaviest modules users install through DKMS, from Debian's archive with apt and the jdkms
 * .deb: {@code zfs-dkms} (contrib: a configure step, then spl.ko and zfs.ko) and {@code
 * nvidia-kernel-dkms} (non-free: a large binary blob linked into nvidia-current.ko), built for the
 * two newest kernels with headers by the packages' postinst. Long (tens of minutes on two cores),
 * so not part of the integration phase: {@code ./run test --heavy} runs this package alone.
 */
class HeavyModulesTest {
  private static final String[] PACKAGES = {"zfs-dkms", "nvidia-kernel-dkms"};
  private static SandboxFamily family;
  private static Sandbox template;
  private static Result install;
  private static List<String> kernels;

  @BeforeAll
  static void installJdkmsThenTheHeavyPackages() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms .deb, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    kernels = Kernels.newest(2);
    family = SandboxFamily.create("HeavyModulesTest");
    template = family.sandbox("template").withTimeout(Duration.ofMinutes(120));
    // contrib (zfs) and non-free (nvidia) in the sandbox's sources only
    template
        .sh(
            "for f in /etc/apt/sources.list.d/*.sources; do [ -f \"$f\" ] && sed -i -E"
                + " 's/^Components: main$/Components: main contrib non-free non-free-firmware/' \"$f\";"
                + " done; [ ! -f /etc/apt/sources.list ] || sed -i -E"
                + " 's/^(deb .* main)$/\\1 contrib non-free non-free-firmware/' /etc/apt/sources.list;"
                + " apt-get -q update")
        .requireSuccess();
    Apt.installJdkms(template).requireSuccess();
    long start = System.nanoTime();
    install = Apt.install(template, PACKAGES);
    System.out.printf(
        "[measure] apt-get install %s for %s: %d s%n",
        String.join(" ", PACKAGES), kernels, (System.nanoTime() - start) / 1_000_000_000L);
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  @Test
  void bothPackagesBuildSignedModulesForBothKernels() {
    assertThat(install.exitCode()).as(install.describe()).isZero();
    Result status = template.run("dkms", "status");
    for (String k : kernels) {
      assertThat(status.stdoutLines())
          .as(status.describe())
          .anyMatch(
              l ->
                  l.startsWith("zfs/")
                      && l.endsWith(", " + k + ", " + Kernels.arch() + ": installed"))
          .anyMatch(
              l ->
                  l.startsWith("nvidia-current/")
                      && l.endsWith(", " + k + ", " + Kernels.arch() + ": installed"));
      for (String ko : List.of("zfs", "spl", "nvidia-current")) {
        Result info =
            template.sh(
                "f=$(ls /lib/modules/"
                    + k
                    + "/updates/dkms/"
                    + ko
                    + ".ko* | head -1);"
                    + " modinfo -F vermagic \"$f\"; modinfo -F signer \"$f\"");
        assertThat(info.exitCode()).as(info.describe()).isZero();
        assertThat(info.stdoutLines()).as(info.describe()).hasSize(2);
        assertThat(info.stdoutLines().get(0)).as(info.describe()).startsWith(k + " ");
        assertThat(info.stdoutLines().get(1)).as(info.describe()).isNotBlank();
      }
    }
    // the engine's progress lines went with the hook's output
    assertThat(install.output())
        .as(install.describe())
        .containsPattern("jdkms: zfs/\\S+ \\(\\S+\\): make, ");
  }

  @Test
  void purgingThePackagesLeavesNothingOfThem() {
    Sandbox sb = family.fork(template, "purge").withTimeout(Duration.ofMinutes(30));
    Result purge = Apt.purge(sb, PACKAGES);
    assertThat(purge.exitCode()).as(purge.describe()).isZero();
    Result left =
        sb.sh(
            "ls /var/lib/dkms; for k in "
                + String.join(" ", kernels)
                + "; do ls /lib/modules/$k/updates/dkms 2>/dev/null; done; ls -d /usr/src/zfs-* /usr/src/nvidia-* 2>/dev/null; true");
    assertThat(left.stdoutLines())
        .as(left.describe())
        .noneMatch(l -> l.startsWith("zfs") || l.startsWith("spl") || l.startsWith("nvidia"));
  }
}
