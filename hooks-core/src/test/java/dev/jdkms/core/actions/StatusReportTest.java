package dev.jdkms.core.actions;

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
 * {@code dkms status} on a fake host: upstream's line formats byte for byte (distribution hooks and
 * vendor scripts parse them), its order, and the suffixes for originals and differing modules.
 */
class StatusReportTest {
  static final String K = "6.1.0-99-test";
  static final String K2 = "6.1.0-100-test";

  @TempDir Path dir;
  FakeHost host;

  @BeforeEach
  void setUp() throws IOException {
    host = new FakeHost(dir, K);
    host.kernel(K);
    host.kernel(K2);
  }

  private String status() throws IOException {
    int rc = host.dkms("status", r -> {});
    assertThat(rc).isEqualTo(ExitCode.SUCCESS);
    return host.output();
  }

  @Test
  void anEmptyTreePrintsNothing() throws IOException {
    assertThat(status()).isEmpty();
  }

  @Test
  void addedBuiltAndInstalledLines() throws IOException {
    host.added("a_mod", "1.0", conf("a_mod", "1.0"));
    host.added("b_mod", "2.1", conf("b_mod", "2.1"));
    host.built("b_mod", "2.1", K, "b_mod", "b\n");
    host.built("b_mod", "2.1", K2, "b_mod", "b\n");
    host.dkms("install", module("b_mod", "2.1", K2));

    // kernels in upstream's glob order (character by character), not version order
    assertThat(status())
        .isEqualTo(
            "a_mod/1.0: added\n"
                + "b_mod/2.1, "
                + K2
                + ", "
                + ARCH
                + ": installed\n"
                + "b_mod/2.1, "
                + K
                + ", "
                + ARCH
                + ": built\n");
  }

  @Test
  void anInstalledModuleThatWasChangedIsFlagged() throws IOException {
    host.added("c_mod", "1", conf("c_mod", "1"));
    host.built("c_mod", "1", K, "c_mod", "c\n");
    host.dkms("install", module("c_mod", "1", K));
    Files.writeString(host.paths.installTree().resolve(K + "/updates/dkms/c_mod.ko"), "other\n");

    assertThat(status())
        .isEqualTo(
            "c_mod/1, "
                + K
                + ", "
                + ARCH
                + ": installed (Differences between built and installed modules)\n");
  }

  @Test
  void aVersionWhoseSourceIsGoneIsBroken() throws IOException {
    Path src = host.added("d_mod", "3", conf("d_mod", "3"));
    Files.delete(src.resolve("dkms.conf"));
    Files.delete(src);

    assertThat(status())
        .isEqualTo(
            "d_mod/3: broken\n"
                + "\nError! d_mod/3: Missing the module source directory or the symbolic link"
                + " pointing to it.\n"
                + "Manual intervention is required!\n");
  }

  @Test
  void theModuleFilterKeepsOneModule() throws IOException {
    host.added("a_mod", "1.0", conf("a_mod", "1.0"));
    host.added("b_mod", "2.1", conf("b_mod", "2.1"));

    host.dkms("status", r -> r.module = "b_mod");

    assertThat(host.output()).isEqualTo("b_mod/2.1: added\n");
  }
}
