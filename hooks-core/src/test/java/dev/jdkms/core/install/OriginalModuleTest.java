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
 * A module that replaces one the kernel already has: install archives the original in the tree
 * ({@code M/original_module/K/A}, with where it came from), uninstall puts it back byte for byte.
 */
class OriginalModuleTest {
  static final String M = "jdkms_replace_test";
  static final String V = "2.0";
  static final String K = "6.1.0-99-test";
  static final String NAME = "jdkms_replaced";

  @TempDir Path dir;
  FakeHost host;
  Path original;
  Path archive;

  @BeforeEach
  void setUp() throws IOException {
    host = new FakeHost(dir, K);
    Path lib = host.kernel(K);
    String conf =
        conf(M, V).replace("BUILT_MODULE_NAME[0]=\"" + M, "BUILT_MODULE_NAME[0]=\"" + NAME);
    host.added(M, V, conf);
    host.built(M, V, K, NAME, "the replacement\n");
    original = lib.resolve("updates/dkms/" + NAME + ".ko");
    Files.createDirectories(original.getParent());
    Files.writeString(original, "the original\n");
    archive = host.paths.dkmsTree().resolve(M + "/original_module/" + K + "/" + ARCH);
  }

  @Test
  void installArchivesTheOriginalAndStatusSaysSo() throws IOException {
    int rc = host.dkms("install", module(M, V, K));

    assertThat(rc).isEqualTo(ExitCode.SUCCESS);
    assertThat(host.output())
        .isEqualTo(
            "Found pre-existing "
                + original
                + ", archiving for uninstallation\n"
                + "Installing "
                + original
                + "\n"
                + "Running depmod... done.\n");
    assertThat(original).hasContent("the replacement");
    assertThat(archive.resolve(NAME + ".ko")).hasContent("the original");
    assertThat(archive.resolve(NAME + ".ko.origin")).hasContent(original.toString());

    host.dkms("status", r -> {});
    assertThat(host.output())
        .isEqualTo(M + "/" + V + ", " + K + ", " + ARCH + ": installed (Original modules exist)\n");
  }

  @Test
  void uninstallRestoresTheOriginal() throws IOException {
    host.dkms("install", module(M, V, K));

    int rc = host.dkms("uninstall", module(M, V, K));

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
                + original
                + "\n"
                + "Restoring archived original module "
                + original
                + "\n"
                + "Running depmod... done.\n");
    assertThat(original).hasContent("the original");
    assertThat(host.paths.dkmsTree().resolve(M + "/original_module")).doesNotExist();

    host.dkms("status", r -> {});
    assertThat(host.output()).isEqualTo(M + "/" + V + ", " + K + ", " + ARCH + ": built\n");
  }
}
