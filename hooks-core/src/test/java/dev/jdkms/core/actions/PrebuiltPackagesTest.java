package dev.jdkms.core.actions;

import static dev.jdkms.core.testutil.FakeHost.ARCH;
import static dev.jdkms.core.testutil.FakeHost.conf;
import static dev.jdkms.core.testutil.FakeHost.module;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.testutil.FakeHost;
import dev.jdkms.core.tree.PrebuiltManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in's actions on a machine where a prebuilt package ({@code jdkms fleet build}) provides
 * a module for a kernel: status says so on lines of its own, install refuses, uninstall keeps the
 * package's file, autoinstall does not build it.
 */
class PrebuiltPackagesTest {
  static final String K = "6.1.0-57-amd64";
  static final String K2 = "6.1.0-58-amd64";
  static final String PKG = "acpi-call-modules-" + K;

  @TempDir Path dir;
  FakeHost host;

  @BeforeEach
  void setUp() throws IOException {
    host = new FakeHost(dir, K);
    host.kernel(K);
    host.kernel(K2);
  }

  /** The package's module file and manifest, as dpkg would unpack them. */
  private Path prebuilt(String m, String v, String kernel) throws IOException {
    Path ko = host.paths.installTree().resolve(kernel + "/updates/dkms/" + m + ".ko");
    Files.createDirectories(ko.getParent());
    Files.writeString(ko, "from the package\n");
    Path f = host.paths.prebuiltManifests().resolve(kernel).resolve(m);
    Files.createDirectories(f.getParent());
    Files.writeString(
        f,
        new PrebuiltManifest(
                m,
                v,
                kernel,
                m + "-modules-" + kernel,
                List.of(new PrebuiltManifest.File("updates/dkms/" + m + ".ko", "0".repeat(64))))
            .text());
    return ko;
  }

  @Test
  void statusListsPrebuiltModulesAfterUpstreamsLinesAndHonoursTheFilters() throws IOException {
    prebuilt("acpi-call", "1.2.2", K);
    host.added("other", "1", conf("other", "1"));
    assertThat(host.dkms("status", r -> {})).isZero();
    assertThat(host.output())
        .isEqualTo(
            "other/1: added\n"
                + "acpi-call/1.2.2, "
                + K
                + ", "
                + ARCH
                + ": installed (prebuilt: "
                + PKG
                + ")\n");
    host.dkms("status", r -> r.module = "acpi*");
    assertThat(host.output()).startsWith("acpi-call/1.2.2, " + K);
    host.dkms("status", r -> r.module = "other");
    assertThat(host.output()).isEqualTo("other/1: added\n");
    host.dkms("status", module("acpi-call", "1.2.2", K2));
    assertThat(host.output()).isEmpty();
    host.dkms("status", r -> r.moduleVersion = "1.3");
    assertThat(host.output()).isEmpty();
  }

  @Test
  void aBrokenManifestIsOneWarningAndStatusGoesOn() throws IOException {
    Path f = host.paths.prebuiltManifests().resolve(K).resolve("evil");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "format=1\nmodule=evil\nfile=x /etc/passwd\n");
    host.added("other", "1", conf("other", "1"));
    assertThat(host.dkms("status", r -> {})).isZero();
    assertThat(host.output())
        .isEqualTo(
            "other/1: added\n"
                + "jdkms: warning: ignoring the prebuilt module manifest "
                + f
                + ": line 3: not a sha256: x\n");
  }

  @Test
  void installRefusesToWriteOverThePackagesFilesButBuildsElsewhere() throws IOException {
    Path ko = prebuilt("acpi-call", "1.2.2", K);
    host.added("acpi-call", "1.2.3", conf("acpi-call", "1.2.3"));
    host.built("acpi-call", "1.2.3", K, "acpi-call", "from dkms\n");
    host.built("acpi-call", "1.2.3", K2, "acpi-call", "from dkms\n");
    int rc = host.dkms("install", module("acpi-call", "1.2.3", K));
    assertThat(rc).isEqualTo(ExitCode.PROVIDED_BY_PACKAGE);
    assertThat(host.output())
        .contains(
            "jdkms: acpi-call/1.2.3 is not installed for kernel "
                + K
                + ": the package "
                + PKG
                + " provides acpi-call/1.2.2 (prebuilt) and owns its files.")
        .contains("Remove that package first to install the module through DKMS.")
        .doesNotContain("Exception");
    assertThat(ko).hasContent("from the package");
    assertThat(host.dkms("install", module("acpi-call", "1.2.3", K2))).isZero();
    assertThat(host.paths.installTree().resolve(K2 + "/updates/dkms/acpi-call.ko"))
        .hasContent("from dkms");
  }

  @Test
  void uninstallKeepsAFileThePackageOwns() throws IOException {
    host.added("acpi-call", "1.2.2", conf("acpi-call", "1.2.2"));
    host.built("acpi-call", "1.2.2", K, "acpi-call", "from dkms\n");
    assertThat(host.dkms("install", module("acpi-call", "1.2.2", K))).isZero();
    // then the package arrived and replaced the file (dpkg overwrites files no package owns)
    Path ko = prebuilt("acpi-call", "1.2.2", K);
    assertThat(host.dkms("remove", module("acpi-call", "1.2.2", K))).isZero();
    assertThat(host.output())
        .contains("jdkms: keeping " + ko + ": the package " + PKG + " (prebuilt) owns it")
        .doesNotContain("Deleting " + ko);
    assertThat(ko).hasContent("from the package\n");
  }

  @Test
  void autoinstallSaysWhyItDoesNotBuildAPrebuiltModule() throws IOException {
    Path ko = prebuilt("acpi-call", "1.2.2", K);
    host.added("acpi-call", "1.2.2", conf("acpi-call", "1.2.2"));
    assertThat(host.dkms("autoinstall", module("", "", K))).isZero();
    assertThat(host.output())
        .isEqualTo(
            "acpi-call/1.2.2 for "
                + K
                + ": provided by the package "
                + PKG
                + " (prebuilt), not built\n");
    assertThat(ko).hasContent("from the package\n");
  }
}
