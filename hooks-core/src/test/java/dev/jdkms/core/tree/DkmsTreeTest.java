package dev.jdkms.core.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.Sh;
import dev.jdkms.core.testutil.Upstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkmsTreeTest {
  @TempDir Path root;
  TreeBuilder b;
  DkmsTree tree;

  @BeforeEach
  void setUp() {
    b = new TreeBuilder(root);
    tree = b.tree();
  }

  @Test
  void pathsFollowUpstreamsLayout() {
    Path t = b.dkmsTree;
    assertThat(tree.root()).isEqualTo(t);
    assertThat(tree.sourceTree()).isEqualTo(b.sourceTree);
    assertThat(tree.moduleDir("m")).isEqualTo(t.resolve("m"));
    assertThat(tree.versionDir("m", "1.0")).isEqualTo(t.resolve("m/1.0"));
    assertThat(tree.sourceLink("m", "1.0")).isEqualTo(t.resolve("m/1.0/source"));
    assertThat(tree.buildDir("m", "1.0")).isEqualTo(t.resolve("m/1.0/build"));
    assertThat(tree.builtDir("m", "1.0", "6.1", "x86_64")).isEqualTo(t.resolve("m/1.0/6.1/x86_64"));
    assertThat(tree.activeLink("m", "6.1", "x86_64")).isEqualTo(t.resolve("m/kernel-6.1-x86_64"));
    assertThat(tree.originalModuleDir("m", "6.1", "x86_64"))
        .isEqualTo(t.resolve("m/original_module/6.1/x86_64"));
    assertThat(tree.sourceDir("m", "1.0")).isEqualTo(b.sourceTree.resolve("m-1.0"));
  }

  @Test
  void addedNeedsTheSourceSymlinkToResolveToADirectory() {
    assertThat(tree.isAdded("m", "1")).isFalse();
    b.added("m", "1");
    assertThat(tree.isAdded("m", "1")).isTrue();
    assertThat(tree.isBroken("m", "1")).isFalse();
    assertThat(tree.isAdded("m", "")).isFalse();
    assertThat(tree.isAdded("", "1")).isFalse();
  }

  @Test
  void brokenWhenTheSymlinkDanglesOrIsMissingWhileTheSourceExists() throws IOException {
    b.link("dangling", "1");
    assertThat(tree.isBroken("dangling", "1")).isTrue();
    assertThat(tree.isAdded("dangling", "1")).isFalse();

    b.added("nolink", "1");
    Files.delete(tree.sourceLink("nolink", "1"));
    assertThat(tree.isBroken("nolink", "1")).isTrue();

    // binaries-only ldtarball: a real source dir and no /usr/src copy is neither
    Files.createDirectories(tree.sourceLink("binonly", "1"));
    assertThat(tree.isBroken("binonly", "1")).isFalse();
    assertThat(tree.isAdded("binonly", "1")).isFalse();

    // no version dir at all: not broken even if the source exists
    b.source("orphan", "1");
    assertThat(tree.isBroken("orphan", "1")).isFalse();
    assertThat(tree.isBroken("", "1")).isFalse();
  }

  @Test
  void builtAndInstalled() throws IOException {
    b.added("m", "1")
        .added("m", "2")
        .built("m", "1", "6.1", "x86_64")
        .built("m", "2", "6.1", "x86_64");
    assertThat(tree.isBuilt("m", "1", "6.1", "x86_64")).isTrue();
    assertThat(tree.isBuilt("m", "1", "6.2", "x86_64")).isFalse();
    assertThat(tree.isBuilt("m", "1", "6.1", "")).isFalse();
    assertThat(tree.isInstalled("m", "1", "6.1", "x86_64")).isFalse();

    b.installed("m", "2", "6.1", "x86_64");
    assertThat(tree.isInstalled("m", "2", "6.1", "x86_64")).isTrue();
    assertThat(tree.isActive("m", "2", "6.1", "x86_64")).isTrue();
    assertThat(tree.isInstalled("m", "1", "6.1", "x86_64")).isFalse();
    assertThat(tree.isActive("m", "1", "6.1", "x86_64")).isFalse();

    // a K/A dir without module/ is not built (e.g. an interrupted build)
    Files.createDirectories(b.path("m/1/6.3/x86_64/log"));
    assertThat(tree.isBuilt("m", "1", "6.3", "x86_64")).isFalse();

    // installed needs built: the link alone is not enough
    b.installed("m", "1", "6.3", "x86_64");
    assertThat(tree.isActive("m", "1", "6.3", "x86_64")).isTrue();
    assertThat(tree.isInstalled("m", "1", "6.3", "x86_64")).isFalse();

    // a dangling or plain-file marker is not active
    b.installed("m", "1", "6.9", "x86_64");
    assertThat(tree.isActive("m", "1", "6.9", "x86_64")).isFalse();
    Files.writeString(tree.activeLink("m", "6.8", "x86_64"), "1/6.8/x86_64");
    assertThat(tree.isActive("m", "1", "6.8", "x86_64")).isFalse();
  }

  private static final String LIST_LIKE_UPSTREAM =
      "for d in \"$1\"/*/*; do [[ -d $d ]] || continue; mv=${d#\"$1/\"};"
          + " [[ $mv == */kernel-*-* ]] && continue; echo \"$mv\"; done";

  @Test
  void moduleVersionsInCLocaleGlobOrder() throws IOException {
    b.added("foo", "1.0")
        .added("foo-bar", "1.0")
        .added("foo", "10.0")
        .added("foo", "9.0")
        .added("a.b", "1")
        .added("a", "1")
        .added("B", "1")
        .added("foo", "1.0-rc1")
        .built("foo", "1.0", "6.1", "x86_64")
        .installed("foo", "1.0", "6.1", "x86_64");
    // what else lives under the tree and must not be listed
    Files.createDirectories(b.path("foo/original_module/6.1/x86_64"));
    Files.createDirectories(b.path(".hidden/1"));
    Files.createDirectories(b.path("foo/.tmpdir"));
    Files.writeString(b.path("mok.key"), "");
    Files.writeString(b.path("foo/stray-file"), "");
    Files.writeString(b.path(".jdkms.lock"), "");

    List<String> java = new ArrayList<>();
    for (String[] mv : tree.moduleVersions("", "")) {
      java.add(mv[0] + "/" + mv[1]);
    }
    List<String> bash = List.of(Sh.bash(LIST_LIKE_UPSTREAM, b.dkmsTree.toString()).split("\n"));
    assertThat(java).isEqualTo(bash);
    // '-' (0x2d) sorts before '/' (0x2f): the whole path is compared, not each name
    assertThat(java)
        .containsExactly(
            "B/1",
            "a.b/1",
            "a/1",
            "foo-bar/1.0",
            "foo/1.0",
            "foo/1.0-rc1",
            "foo/10.0",
            "foo/9.0",
            "foo/original_module");
  }

  @Test
  void moduleVersionsFilters() throws IOException {
    b.added("foo", "1").added("foo", "2").added("bar", "1");
    assertThat(tree.moduleVersions("foo", "")).extracting(mv -> mv[1]).containsExactly("1", "2");
    assertThat(tree.moduleVersions("", "1")).extracting(mv -> mv[0]).containsExactly("bar", "foo");
    assertThat(tree.moduleVersions("foo", "2")).hasSize(1);
    assertThat(tree.moduleVersions("baz", "")).isEmpty();
    assertThat(new DkmsTree(root.resolve("none"), root).moduleVersions("", "")).isEmpty();
  }

  /**
   * upstream expands the module and version filters unquoted ({@code "$dkms_tree/"${1:-*}/...}), so
   * {@code dkms status -m 'ab*'} lists every module starting with "ab".
   */
  @Test
  void filtersAreGlobPatternsUpstream() throws IOException {
    b.added("abc", "1").added("abd", "2").added("x", "1");
    assertThat(tree.moduleVersions("ab*", ""))
        .extracting(mv -> mv[0])
        .containsExactly("abc", "abd");
    assertThat(tree.moduleVersions("", "[12]")).hasSize(3);
  }

  @Test
  void kernelLinksAreSkippedButVersionsLookingLikeThemOnlyWithTwoDashes() throws IOException {
    b.added("m", "1").built("m", "1", "6.1", "x86_64").installed("m", "1", "6.1", "x86_64");
    b.added("m", "kernel-1");
    assertThat(tree.moduleVersions("m", ""))
        .extracting(mv -> mv[1])
        .containsExactly("1", "kernel-1");
  }

  @Test
  void builtKernelsOnlyFromDirsLookingLikeVersions() throws IOException {
    b.added("m", "1")
        .built("m", "1", "6.1.0-9-amd64", "x86_64")
        .built("m", "1", "6.1.0-56-amd64", "x86_64")
        .built("m", "1", "6.1.0-56-amd64", "i686")
        .built("m", "1", "10.0", "x86_64")
        .built("m", "1", "generic", "x86_64")
        .built("m", "1", "6", "x86_64")
        .built("m", "1", "6a.1", "x86_64");
    Files.createDirectories(b.path("m/1/6.2/x86_64/log"));
    Files.createDirectories(b.path("m/1/6.1.0-9-amd64/.tmp_x86_64_abc/module"));

    List<String> java = new ArrayList<>();
    for (String[] ka : tree.builtKernels("m", "1", "", "")) {
      java.add(ka[0] + "/" + ka[1]);
    }
    String script =
        "shopt -s extglob\nfor d in \"$1\"/+([0-9]).*/*; do [[ -d $d/module ]] || continue;"
            + " echo \"${d#\"$1/\"}\"; done";
    List<String> bash = List.of(Sh.bash(script, b.path("m/1").toString()).split("\n"));
    assertThat(java).isEqualTo(bash);
    assertThat(java)
        .containsExactly(
            "10.0/x86_64", "6.1.0-56-amd64/i686", "6.1.0-56-amd64/x86_64", "6.1.0-9-amd64/x86_64");

    // a named kernel is taken as is, even when it does not look like a version
    assertThat(tree.builtKernels("m", "1", "generic", "")).hasSize(1);
    assertThat(tree.builtKernels("m", "1", "6.1.0-56-amd64", "i686"))
        .extracting(ka -> ka[1])
        .containsExactly("i686");
    assertThat(tree.builtKernels("m", "1", "", "i686")).hasSize(1);
    assertThat(tree.builtKernels("m", "2", "", "")).isEmpty();
  }

  @Test
  void predicatesAgreeWithUpstreamsFunctions() throws IOException {
    String fns =
        Upstream.function("is_module_broken")
            + Upstream.function("is_module_added")
            + Upstream.function("is_module_built")
            + Upstream.function("_is_module_installed");
    b.added("ok", "1")
        .built("ok", "1", "6.1", "x86_64")
        .installed("ok", "1", "6.1", "x86_64")
        .built("ok", "1", "6.2", "x86_64")
        .link("dangling", "1")
        .added("nolink", "1");
    Files.delete(tree.sourceLink("nolink", "1"));
    Files.createDirectories(tree.sourceLink("binonly", "1"));
    b.built("binonly", "1", "6.1", "x86_64").installed("binonly", "1", "6.1", "x86_64");
    b.installed("ok", "1", "6.3", "x86_64");

    List<String[]> cases = new ArrayList<>();
    for (String m : List.of("ok", "dangling", "nolink", "binonly", "none")) {
      for (String k : List.of("6.1", "6.2", "6.3")) {
        cases.add(new String[] {m, "1", k, "x86_64"});
      }
    }
    StringBuilder script =
        new StringBuilder(fns).append("dkms_tree=\"$1\"; source_tree=\"$2\"; shift 2\n");
    script.append(
        "while (($#)); do"
            + " is_module_broken \"$1\" \"$2\" && echo -n B || echo -n -;"
            + " is_module_added \"$1\" \"$2\" && echo -n A || echo -n -;"
            + " is_module_built \"$1\" \"$2\" \"$3\" \"$4\" && echo -n b || echo -n -;"
            + " { is_module_built \"$@\" && _is_module_installed \"$@\"; } && echo I || echo -;"
            + " shift 4; done\n");
    List<String> args = new ArrayList<>(List.of(b.dkmsTree.toString(), b.sourceTree.toString()));
    cases.forEach(c -> args.addAll(List.of(c)));
    String[] bash = Sh.bash(script.toString(), args.toArray(new String[0])).split("\n");
    for (int i = 0; i < cases.size(); i++) {
      String[] c = cases.get(i);
      String java =
          (tree.isBroken(c[0], c[1]) ? "B" : "-")
              + (tree.isAdded(c[0], c[1]) ? "A" : "-")
              + (tree.isBuilt(c[0], c[1], c[2], c[3]) ? "b" : "-")
              + (tree.isInstalled(c[0], c[1], c[2], c[3]) ? "I" : "-");
      assertThat(java).as(String.join("/", c)).isEqualTo(bash[i]);
    }
  }
}
