package dev.jdkms.core.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.Sh;
import dev.jdkms.core.testutil.Upstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleStatusTest {
  @TempDir Path root;
  TreeBuilder b;

  @BeforeEach
  void setUp() throws IOException {
    b = new TreeBuilder(root);
    b.added("zeta", "1")
        .added("alpha", "2.0")
        .built("alpha", "2.0", "6.1.0-9-amd64", "x86_64")
        .built("alpha", "2.0", "6.1.0-56-amd64", "x86_64")
        .installed("alpha", "2.0", "6.1.0-56-amd64", "x86_64")
        .added("alpha", "1.0")
        .built("alpha", "1.0", "6.1.0-9-amd64", "x86_64")
        .installed("alpha", "1.0", "6.1.0-9-amd64", "x86_64")
        .link("broken", "1")
        .added("alpha-x", "1")
        .built("alpha-x", "1", "6.1.0-9-amd64", "i686");
    // binaries-only remains: invisible
    Files.createDirectories(b.tree().sourceLink("ghost", "1"));
    b.built("ghost", "1", "6.1.0-9-amd64", "x86_64");
  }

  private static List<String> lines(List<ModuleStatus.Entry> entries) {
    return entries.stream()
        .map(
            e ->
                e.state()
                    + " "
                    + e.module()
                    + "/"
                    + e.version()
                    + (e.kernel().isEmpty() ? "" : "/" + e.kernel() + "/" + e.arch()))
        .toList();
  }

  @Test
  void everythingInUpstreamsOrder() throws IOException {
    assertThat(lines(ModuleStatus.entries(b.tree(), "", "", "", "")))
        .containsExactly(
            "built alpha-x/1/6.1.0-9-amd64/i686",
            "installed alpha/1.0/6.1.0-9-amd64/x86_64",
            "installed alpha/2.0/6.1.0-56-amd64/x86_64",
            "built alpha/2.0/6.1.0-9-amd64/x86_64",
            "broken broken/1",
            "added zeta/1");
  }

  @Test
  void filters() throws IOException {
    assertThat(lines(ModuleStatus.entries(b.tree(), "alpha", "", "6.1.0-9-amd64", "")))
        .containsExactly(
            "installed alpha/1.0/6.1.0-9-amd64/x86_64", "built alpha/2.0/6.1.0-9-amd64/x86_64");
    // built for no matching kernel: "added"
    assertThat(lines(ModuleStatus.entries(b.tree(), "alpha", "2.0", "5.10", "x86_64")))
        .containsExactly("added alpha/2.0");
    assertThat(lines(ModuleStatus.entries(b.tree(), "", "", "", "i686")))
        .containsExactly(
            "built alpha-x/1/6.1.0-9-amd64/i686",
            "added alpha/1.0",
            "added alpha/2.0",
            "broken broken/1",
            "added zeta/1");
    assertThat(ModuleStatus.entries(b.tree(), "nothing", "", "", "")).isEmpty();
  }

  @Test
  void highestVersionUsesVer() throws IOException {
    b.added("alpha", "10.0");
    assertThat(ModuleStatus.highestVersion(b.tree(), "alpha", "", "")).contains("10.0");
    assertThat(ModuleStatus.highestVersion(b.tree(), "zeta", "", "")).contains("1");
    assertThat(ModuleStatus.highestVersion(b.tree(), "nothing", "", "")).isEmpty();
  }

  @Test
  void agreesWithUpstreamsModuleStatus() throws IOException {
    String fns =
        "shopt -s extglob\n"
            + Upstream.function("is_module_broken")
            + Upstream.function("is_module_added")
            + Upstream.function("is_module_built")
            + Upstream.function("_is_module_installed")
            + Upstream.function("module_status_built")
            + Upstream.function("list_module_version_combos")
            + Upstream.function("module_status");
    String[][] filters = {
      {"", "", "", ""},
      {"alpha", "", "", ""},
      {"alpha", "2.0", "", ""},
      {"", "", "6.1.0-9-amd64", ""},
      {"", "", "", "i686"},
      {"", "1", "", ""},
      {"zeta", "", "6.1.0-56-amd64", "x86_64"},
    };
    for (String[] f : filters) {
      String bash =
          Sh.bash(
              fns + "dkms_tree=\"$1\"; source_tree=\"$2\"; shift 2\nmodule_status \"$@\"\n",
              b.dkmsTree.toString(),
              b.sourceTree.toString(),
              f[0],
              f[1],
              f[2],
              f[3]);
      List<String> java = lines(ModuleStatus.entries(b.tree(), f[0], f[1], f[2], f[3]));
      assertThat(String.join("\n", java) + (java.isEmpty() ? "" : "\n"))
          .as(String.join("|", f))
          .isEqualTo(bash);
    }
  }
}
