package dev.jdkms.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.testutil.FakeHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which registered modules a kernel needs to boot, the question the Debian and kernel-install exit
 * policies ask when a transaction failed before naming its modules: AUTOINSTALL ones with
 * REMAKE_INITRD=yes, in their dkms.conf or in the host's /etc/dkms override.
 */
class BootCriticalTest {
  static final String K = "6.1.0-99-test";

  @TempDir Path dir;

  @Test
  void autoinstallModulesThatRemakeTheInitrdAreBootCritical() throws IOException {
    FakeHost host = new FakeHost(dir, K);
    host.added("critical", "1", FakeHost.conf("critical", "1") + "REMAKE_INITRD=\"yes\"\n");
    host.added(
        "manual",
        "1",
        FakeHost.conf("manual", "1").replace("AUTOINSTALL=\"yes\"", "")
            + "REMAKE_INITRD=\"yes\"\n");
    host.added("plain", "1", FakeHost.conf("plain", "1"));
    host.added("overridden", "2", FakeHost.conf("overridden", "2"));
    Files.writeString(host.paths.etcDkms().resolve("overridden.conf"), "REMAKE_INITRD=yes\n");

    DkmsRequest.Builder r = new DkmsRequest.Builder();
    r.action = "transaction";
    List<String> critical =
        BootCritical.registeredFor(host.session(Console.silent(), r.build()), K);

    assertThat(critical).containsExactlyInAnyOrder("critical/1", "overridden/2");
  }
}
