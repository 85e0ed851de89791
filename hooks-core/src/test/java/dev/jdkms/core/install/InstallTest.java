package dev.jdkms.core.install;

import static dev.jdkms.core.testutil.FakeHost.ARCH;
import static dev.jdkms.core.testutil.FakeHost.conf;
import static dev.jdkms.core.testutil.FakeHost.module;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.testutil.FakeHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dkms install} and {@code dkms uninstall} of a built module on a fake host: where the files
 * go, the {@code kernel-K-A} link that marks the version installed, and upstream's lines.
 */
class InstallTest {
  static final String M = "jdkms_install_test";
  static final String V = "1.0";
  static final String K = "6.1.0-99-test";

  @TempDir Path dir;
  FakeHost host;
  Path lib;

  @BeforeEach
  void setUp() throws IOException {
    host = new FakeHost(dir, K);
    lib = host.kernel(K);
    host.added(M, V, conf(M, V));
    host.built(M, V, K, M, "built module\n");
  }

  private Path activeLink() {
    return host.paths.dkmsTree().resolve(M).resolve("kernel-" + K + "-" + ARCH);
  }

  @Test
  void installCopiesTheBuiltModuleAndMarksTheVersionInstalled() throws IOException {
    int rc = host.dkms("install", module(M, V, K));

    Path installed = lib.resolve("updates/dkms/" + M + ".ko");
    assertThat(rc).isEqualTo(ExitCode.SUCCESS);
    assertThat(host.output())
        .isEqualTo("Installing " + installed + "\n" + "Running depmod... done.\n");
    assertThat(installed).hasContent("built module");
    assertThat(Files.readSymbolicLink(activeLink())).isEqualTo(Path.of(V, K, ARCH));
  }

  @Test
  void installingAgainSaysItIsInstalledAndChangesNothing() throws IOException {
    host.dkms("install", module(M, V, K));

    int rc = host.dkms("install", module(M, V, K));

    assertThat(rc).isEqualTo(ExitCode.SUCCESS);
    assertThat(host.output())
        .isEqualTo(
            "Module "
                + M
                + "/"
                + V
                + " already installed on kernel "
                + K
                + " ("
                + ARCH
                + "), skip. You may override by specifying --force.\n");
  }

  @Test
  void uninstallDeletesTheModuleAndLeavesItBuilt() throws IOException {
    host.dkms("install", module(M, V, K));

    int rc = host.dkms("uninstall", module(M, V, K));

    Path installed = lib.resolve("updates/dkms/" + M + ".ko");
    assertThat(rc).isEqualTo(ExitCode.SUCCESS);
    assertThat(host.output())
        .isEqualTo(
            "Module "
                + M
                + "/"
                + V
                + " for kernel "
                + K
                + " ("
                + ARCH
                + "):\n"
                + "Before uninstall, this module version was ACTIVE on this kernel.\n"
                + "Deleting "
                + installed
                + "\n"
                + "Running depmod... done.\n");
    assertThat(installed).doesNotExist();
    // the empty directories the install made are pruned, as rmdir -p does
    assertThat(lib.resolve("updates")).doesNotExist();
    assertThat(activeLink()).doesNotExist();
    assertThat(host.paths.dkmsTree().resolve(M + "/" + V + "/" + K + "/" + ARCH + "/module"))
        .isDirectory();
  }

  @Test
  void aKernelWithoutItsModulesDirectoryIsRefused() throws IOException {
    String other = "6.1.0-98-test";
    host.built(M, V, other, M, "built module\n");

    int rc = host.dkms("install", module(M, V, other));

    Path missing = host.paths.installTree().resolve(other);
    assertThat(rc).isEqualTo(ExitCode.KERNEL_DIR_MISSING);
    assertThat(host.output())
        .isEqualTo(
            "\nError! The directory "
                + missing
                + " doesn't exist.\n"
                + "You cannot install a module onto a non-existent kernel.\n");
  }

  @Test
  void installNeedsRootAsTheHostsProcSaysIt() throws IOException {
    Files.writeString(host.paths.selfStatus(), "Uid:\t1000\t1000\t1000\t1000\n");

    int rc = host.dkms("install", module(M, V, K));

    assertThat(rc).isEqualTo(ExitCode.NOT_ROOT);
    assertThat(host.output()).isEqualTo("\nError! You must be root to use this command.\n");
    assertThat(lib.resolve("updates")).doesNotExist();
  }

  @Test
  void aModuleTheDistributionForcesIsInstalledWithForce() throws IOException {
    Path list = Files.createDirectories(host.paths.forcedModules()).resolve("vendor");
    Files.writeString(list, M + "\n");

    int rc = host.dkms("install", module(M, V, K));

    assertThat(rc).isEqualTo(ExitCode.SUCCESS);
    assertThat(host.output()).startsWith("Forcing installation of " + M + "\n");
  }
}
