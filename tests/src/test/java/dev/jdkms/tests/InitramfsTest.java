package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The initramfs decision on real images: initramfs-tools (lz4) and dracut (zstd, chosen through
 * kernel-install's KERNEL_INSTALL_INITRD_GENERATOR), both installed from the Debian mirror inside
 * the sandbox. An image is rebuilt only when a changed module is inside it or the module is
 * boot-critical (REMAKE_INITRD=yes), never when the kernel's own hook builds it next.
 */
@DkmsTest
class InitramfsTest {
  private static final String JDKMS = "/usr/lib/jdkms/bin/jdkms";

  private static String sha(Sandbox sb, String file) {
    return sb.run("sha256sum", file).requireSuccess().stdout().split(" ")[0];
  }

  /** A copy of the hello fixture as module {@code name}, version {@code v}. */
  private static String module(String name, String v) {
    String d = "/usr/src/" + name + "-" + v;
    return "rm -rf "
        + d
        + " && cp -a '"
        + Repo.fixture("jdkms_hello-1.0")
        + "' "
        + d
        + " && sed -i 's/jdkms_hello/"
        + name
        + "/g; s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\""
        + v
        + "\"/' "
        + d
        + "/dkms.conf "
        + d
        + "/Makefile && sed -i 's/\"1.0\"/\""
        + v
        + "\"/' "
        + d
        + "/hello.c\n";
  }

  private static Result tx(Sandbox sb, String... events) {
    return sb.run(
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(JDKMS, "transaction"), java.util.Arrays.stream(events))
            .toList());
  }

  @Test
  void imagesAreRebuiltOnlyWhenAChangedModuleIsInsideOrBootCritical(Sandbox sandbox) {
    assumeTrue(DkmsUnderTest.isJdkms(), "jdkms-only behaviour");
    Sandbox sb = sandbox.withTimeout(Duration.ofMinutes(5));
    String k = Kernels.newest(1).get(0);
    String img = "/boot/initrd.img-" + k;
    sb.sh(
            "export DEBIAN_FRONTEND=noninteractive\n"
                + "apt-get -o DPkg::Lock::Timeout=600 -q install -y --no-install-recommends"
                + " dracut-core initramfs-tools > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }\n"
                + "install -m 755 '"
                + Repo.root().resolve("dkms-cli/src/main/dist/bin/jdkms")
                + "' "
                + JDKMS
                + "\n"
                // a kernel with a module index (depmod runs) and a config (mkinitramfs reads it)
                + "depmod -a "
                + k
                + " && cp /lib/modules/"
                + k
                + "/build/.config /boot/config-"
                + k
                + "\n"
                + "sed -i 's/^MODULES=.*/MODULES=list/; s/^COMPRESS=.*/COMPRESS=lz4/'"
                + " /etc/initramfs-tools/initramfs.conf\n"
                + "echo jdkms_hello >> /etc/initramfs-tools/modules\n"
                + module("jdkms_hello", "1.0")
                + module("beta", "1.0")
                + module("gamma", "1.0")
                + "echo 'REMAKE_INITRD=\"yes\"' >> /usr/src/gamma-1.0/dkms.conf\n")
        .requireSuccess();

    // No image yet: nothing to rebuild (the kernel package's hook makes it).
    Result first = tx(sb, "--module-added", "jdkms_hello/1.0");
    assertThat(first.exitCode()).as(first.describe()).isZero();
    assertThat(first.stdout())
        .as(first.describe())
        .contains("initramfs of " + k + ": left as is (the kernel has no initramfs image)");

    sb.sh("mkinitramfs -o " + img + " " + k + " > /tmp/mk.log 2>&1 || { cat /tmp/mk.log; exit 1; }")
        .requireSuccess();
    String made = sha(sb, img);
    assertThat(sb.run("lsinitramfs", img).stdout())
        .contains("lib/modules/" + k + "/updates/dkms/jdkms_hello.ko");

    // A module that is not in the image: the image stays.
    Result beta = tx(sb, "--module-added", "beta/1.0");
    assertThat(beta.stdout())
        .as(beta.describe())
        .contains("initramfs of " + k + ": left as is (no changed module is in the image)");
    assertThat(sha(sb, img)).isEqualTo(made);

    // A new version of a module inside the image: rebuilt with update-initramfs.
    sb.sh(module("jdkms_hello", "1.1")).requireSuccess();
    Result hello = tx(sb, "--module-added", "jdkms_hello/1.1");
    assertThat(hello.exitCode()).as(hello.describe()).isZero();
    assertThat(hello.stdout())
        .as(hello.describe())
        .contains("Rebuilding the initramfs of kernel " + k + " (in the image: jdkms_hello)")
        .contains("initramfs of " + k + ": rebuilt (in the image: jdkms_hello)");
    String rebuilt = sha(sb, img);
    assertThat(rebuilt).isNotEqualTo(made);

    // Boot-critical by REMAKE_INITRD: rebuilt although not inside; upstream's line stays.
    Result gamma = tx(sb, "--module-added", "gamma/1.0");
    assertThat(gamma.stdout())
        .as(gamma.describe())
        .contains("initramfs of " + k + ": rebuilt (boot-critical (REMAKE_INITRD): gamma)");
    assertThat(gamma.stderr()).contains("Deprecated feature: REMAKE_INITRD (");
    assertThat(sha(sb, img)).isNotEqualTo(rebuilt);

    // The kernel's own postinst hook runs after jdkms: never rebuilt here.
    String before = sha(sb, img);
    Result upgraded = tx(sb, "--kernel-upgraded", k);
    assertThat(upgraded.exitCode()).as(upgraded.describe()).isZero();
    assertThat(upgraded.stdout())
        .as(upgraded.describe())
        .contains(
            "initramfs of " + k + ": left as is (the kernel's own hook builds the image next)");
    assertThat(sha(sb, img)).isEqualTo(before);

    // dracut, as kernel-install's initrd_generator, with a zstd image of its own.
    String dimg = "/boot/initramfs-" + k + ".img";
    sb.sh(
            "rm -f "
                + img
                + "\nmkdir -p /etc/dracut.conf.d\n"
                + "printf 'hostonly=\"no\"\\ndracutmodules=\" base \"\\nadd_drivers+=\" jdkms_hello"
                + " \"\\ncompress=\"zstd\"\\n' > /etc/dracut.conf.d/jdkms-test.conf\n"
                + "dracut --force "
                + dimg
                + " "
                + k
                + " > /tmp/dracut.log 2>&1 || { cat /tmp/dracut.log; exit 1; }\n"
                + module("jdkms_hello", "1.2"))
        .requireSuccess();
    String dmade = sha(sb, dimg);
    Result dracut =
        sb.withEnv("KERNEL_INSTALL_INITRD_GENERATOR", "dracut")
            .run(JDKMS, "transaction", "--module-added", "jdkms_hello/1.2");
    assertThat(dracut.exitCode()).as(dracut.describe()).isZero();
    assertThat(dracut.stdout())
        .as(dracut.describe())
        .contains("initramfs of " + k + ": rebuilt (in the image: jdkms_hello)");
    assertThat(sha(sb, dimg)).isNotEqualTo(dmade);
    assertThat(sb.run("lsinitrd", dimg).stdout())
        .contains("lib/modules/" + k + "/updates/dkms/jdkms_hello.ko");
  }
}
