package dev.jdkms.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostPathsTest {
  @Test
  void theRealHostHasUpstreamsPaths() {
    HostPaths h = HostPaths.REAL;
    assertThat(h.etcDkms()).hasToString("/etc/dkms");
    assertThat(h.dkmsTree()).hasToString("/var/lib/dkms");
    assertThat(h.sourceTree()).hasToString("/usr/src");
    assertThat(h.installTree()).hasToString("/lib/modules");
    assertThat(h.systemMap("6.1.0-9-amd64")).hasToString("/boot/System.map-6.1.0-9-amd64");
    assertThat(h.runningRelease()).hasToString("/proc/sys/kernel/osrelease");
    assertThat(h.sys()).hasToString("/sys");
    assertThat(h.tmp()).hasToString("/tmp");
    assertThat(h.forcedModules()).hasToString("/usr/share/dkms/modules_to_force_install");
    assertThat(h.mokKey()).hasToString("/var/lib/dkms/mok.key");
    assertThat(h.osRelease())
        .containsExactly(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"));
  }

  @Test
  void aFakeHostKeepsEveryPathUnderItsRoot() {
    Path root = Path.of("/fake-root");
    HostPaths h = HostPaths.under(root);
    for (Path p :
        new Path[] {
          h.etcDkms(),
          h.dkmsTree(),
          h.sourceTree(),
          h.installTree(),
          h.boot(),
          h.proc(),
          h.sys(),
          h.tmp(),
          h.dkmsShare(),
          h.usrLib(),
          h.osRelease().get(0),
          h.osRelease().get(1)
        }) {
      assertThat(p).startsWithRaw(root);
    }
    assertThat(h.noAutoinstall()).isEqualTo(root.resolve("etc/dkms/no-autoinstall"));
  }
}
