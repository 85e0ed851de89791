package dev.jdkms.core.dkms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.testutil.FakeHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's switches that the kernel hooks obey, read from the fake host's /etc/dkms and /proc:
 * {@code no-autoinstall} turns every automatic build off, and the running kernel is the default.
 */
class AutoinstallPolicyTest {
  static final String K = "6.1.0-99-test";

  @TempDir Path dir;

  @Test
  void noAutoinstallDisablesKernelPostinst() throws IOException {
    FakeHost host = new FakeHost(dir, K);
    host.kernel(K);
    host.added("a_mod", "1.0", FakeHost.conf("a_mod", "1.0"));
    Files.writeString(host.paths.noAutoinstall(), "");

    int rc = host.dkms("kernel_postinst", r -> r.kernels.add(K));

    assertThat(rc).isEqualTo(ExitCode.SUCCESS);
    assertThat(host.output()).isEqualTo("Automatic installation of modules has been disabled.\n");
  }

  @Test
  void theRunningKernelIsTheDefaultKernel() throws IOException {
    FakeHost host = new FakeHost(dir, K);
    host.kernel(K);
    host.added("a_mod", "1.0", FakeHost.conf("a_mod", "1.0"));
    host.built("a_mod", "1.0", K, "a_mod", "a\n");

    int rc = host.dkms("install", FakeHost.module("a_mod", "1.0"));

    assertThat(rc).isEqualTo(ExitCode.SUCCESS);
    assertThat(host.paths.installTree().resolve(K + "/updates/dkms/a_mod.ko")).hasContent("a");
  }

  @Test
  void kernelPostinstNeedsExactlyOneKernel() throws IOException {
    FakeHost host = new FakeHost(dir, K);

    int rc = host.dkms("kernel_postinst", r -> {});

    assertThat(rc).isEqualTo(ExitCode.ONE_KERNEL_ONLY);
    assertThat(host.output())
        .isEqualTo(
            "\nError! The action kernel_postinst requires exactly one kernel version parameter"
                + " on the command line.\n");
  }
}
