package dev.jdkms.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A unit's request is derived from the command line's, which it never changes. */
class DkmsRequestTest {
  private static DkmsRequest commandLine() {
    DkmsRequest.Builder r = new DkmsRequest.Builder();
    r.action = "autoinstall";
    r.kernels.addAll(List.of("6.1.0-1-amd64", "6.1.0-2-amd64"));
    r.arches.addAll(List.of("x86_64", "x86_64"));
    r.directives.add("CLEAN=true");
    r.force = true;
    return r.build();
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
  void aBuiltRequestCannotChangeNorFollowsItsBuilder() {
    DkmsRequest.Builder b = new DkmsRequest.Builder();
    b.kernels.add("6.1.0-1-amd64");
    DkmsRequest built = b.build();

    b.kernels.add("6.1.0-2-amd64");
    DkmsRequest unit = built.forModule("m", "1.0");

    assertThat(built.kernels).containsExactly("6.1.0-1-amd64");
    assertThatThrownBy(() -> unit.kernels.add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> built.directives.add("MAKE=x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(built.toBuilder().build().kernels).isEqualTo(built.kernels);
  }
}
