package dev.jdkms.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.plan.Plan.ModuleVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangedPathsTest {
  /** Source directories as the tree or their dkms.conf would name them. */
  private static final Map<String, ModuleVersion> NAMES =
      Map.of(
          "hello-1.0", new ModuleVersion("hello", "1.0"),
          "foo-bar-1.2-rc1", new ModuleVersion("foo-bar", "1.2-rc1"));

  private static ChangedPaths.Translation translate(List<String> installed, List<String> removed)
      throws Exception {
    return ChangedPaths.translate(installed, removed, dir -> Optional.ofNullable(NAMES.get(dir)));
  }

  @Test
  void aKernelPackageListIsOneKernelAddedWithItsImage() throws Exception {
    var t =
        translate(
            List.of(
                "usr/lib/modules/6.1.0-56-amd64",
                "usr/lib/modules/6.1.0-56-amd64/kernel/drivers/dummy.ko",
                "usr/lib/modules/6.1.0-56-amd64/modules.order",
                "usr/lib/modules/6.1.0-56-amd64/vmlinuz",
                "usr/lib/modules/6.1.0-56-amd64/build/include/",
                "usr/share/doc/linux/README"),
            List.of());
    assertThat(t.events())
        .containsExactly(
            new Event.KernelAdded(
                "6.1.0-56-amd64", Optional.of(Path.of("/usr/lib/modules/6.1.0-56-amd64/vmlinuz"))));
    assertThat(t.notes()).isEmpty();
  }

  @Test
  void leadingSlashesAndLibWithoutUsrAreTheSame() throws Exception {
    var t =
        translate(
            List.of("/lib/modules/K1/modules.order", "//usr/src/hello-1.0/dkms.conf"), List.of());
    assertThat(t.events())
        .containsExactly(
            new Event.KernelAdded("K1", Optional.empty()), new Event.ModuleAdded("hello", "1.0"));
  }

  @Test
  void headersAloneAreAHeadersEventAndTheirRemovalIsNothing() throws Exception {
    var t =
        translate(
            List.of("usr/lib/modules/K2/build/include"),
            List.of("usr/lib/modules/K3/build/Makefile"));
    assertThat(t.events()).containsExactly(new Event.HeadersAdded("K2"));
  }

  @Test
  void aKernelRemovedAndInstalledIsBothEventsSoThePlannerSeesAnUpgrade() throws Exception {
    var t =
        translate(
            List.of("usr/lib/modules/K1/vmlinuz"),
            List.of("usr/lib/modules/K1/vmlinuz", "usr/lib/modules/K0/modules.order"));
    assertThat(t.events())
        .containsExactly(
            new Event.KernelRemoved("K1"),
            new Event.KernelAdded("K1", Optional.of(Path.of("/usr/lib/modules/K1/vmlinuz"))),
            new Event.KernelRemoved("K0"));
  }

  @Test
  void moduleDirectoriesAreNamedByTheResolverNotByTheLastHyphen() throws Exception {
    var t =
        translate(
            List.of("usr/src/foo-bar-1.2-rc1/dkms.conf", "usr/src/foo-bar-1.2-rc1/foo.c"),
            List.of("usr/src/hello-1.0/dkms.conf"));
    assertThat(t.events())
        .containsExactly(
            new Event.ModuleRemoved("hello", "1.0"), new Event.ModuleAdded("foo-bar", "1.2-rc1"));
  }

  @Test
  void unknownSourcesAndHostilePathsAreNotesOrIgnored() throws Exception {
    var t =
        translate(
            List.of(
                "usr/src/mystery-9/dkms.conf",
                "usr/lib/modules/../../etc/vmlinuz",
                "usr/lib/modules/./vmlinuz",
                "",
                "usr/src/a/b/dkms.conf"),
            List.of("usr/src/gone-1/dkms.conf"));
    assertThat(t.events()).isEmpty();
    assertThat(t.notes())
        .containsExactly(
            "/usr/src/gone-1: not a registered module source, nothing to remove",
            "/usr/src/mystery-9: its dkms.conf does not name this directory"
                + " (PACKAGE_NAME-PACKAGE_VERSION), not added");
  }

  @Test
  void normaliseCollapsesSlashes() {
    assertThat(ChangedPaths.normalise("/usr//src///x/")).isEqualTo("usr/src/x");
    assertThat(ChangedPaths.normalise(" / ")).isNull();
  }
}
