package dev.jdkms.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A unit's request is derived from the command line's, which it never changes. */
class DkmsRequestTest {
  private static DkmsRequest commandLine() {
    DkmsRequest r = new DkmsRequest();
    r.action = "autoinstall";
    r.kernels.addAll(List.of("6.1.0-1-amd64", "6.1.0-2-amd64"));
    r.arches.addAll(List.of("x86_64", "x86_64"));
    r.directives.add("CLEAN=true");
    r.force = true;
    return r;
  }

  @Test
  void aUnitForOneModuleAndKernelKeepsTheRestAndLeavesTheOriginal() {
    DkmsRequest original = commandLine();

    DkmsRequest unit =
        original
            .forModule("m", "1.0")
            .forKernels(List.of("6.1.0-2-amd64"), List.of("x86_64"))
            .withoutDepmod()
            .withConf("/var/lib/dkms/m/1.0/source/dkms.conf");

    assertThat(unit.module).isEqualTo("m");
    assertThat(unit.moduleVersion).isEqualTo("1.0");
    assertThat(unit.kernels).containsExactly("6.1.0-2-amd64");
    assertThat(unit.arches).containsExactly("x86_64");
    assertThat(unit.noDepmod).isTrue();
    assertThat(unit.conf).isEqualTo("/var/lib/dkms/m/1.0/source/dkms.conf");
    assertThat(unit.action).isEqualTo("autoinstall");
    assertThat(unit.force).isTrue();
    assertThat(unit.directives).containsExactly("CLEAN=true");

    assertThat(original.module).isEmpty();
    assertThat(original.kernels).containsExactly("6.1.0-1-amd64", "6.1.0-2-amd64");
    assertThat(original.noDepmod).isFalse();
    assertThat(original.conf).isEmpty();
  }

  @Test
  void theCopiesShareNoLists() {
    DkmsRequest original = commandLine();
    DkmsRequest unit = original.forModule("m", "1.0");

    unit.kernels.clear();
    unit.directives.add("MAKE=x");

    assertThat(original.kernels).hasSize(2);
    assertThat(original.directives).containsExactly("CLEAN=true");
  }
}
