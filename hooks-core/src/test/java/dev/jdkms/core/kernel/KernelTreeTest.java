package dev.jdkms.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTreeTest {
  @TempDir Path installTree;

  private Path touch(String rel) throws IOException {
    Path p = installTree.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, rel);
    return p;
  }

  @Test
  void paths() {
    KernelTree k = new KernelTree(installTree, "6.1.0-9-amd64");
    assertThat(k.release()).isEqualTo("6.1.0-9-amd64");
    assertThat(k.dir()).isEqualTo(installTree.resolve("6.1.0-9-amd64"));
    assertThat(k.buildDir()).isEqualTo(installTree.resolve("6.1.0-9-amd64/build"));
  }

  @Test
  void compressionSuffixIsEmptyWithoutCompressedModules() throws IOException {
    KernelTree k = new KernelTree(installTree, "6.1");
    assertThat(k.compressionSuffix()).isEmpty();
    touch("6.1/kernel/a.ko");
    touch("6.1/kernel/notes.gz");
    touch("6.1/kernel/b.ko.bz2");
    assertThat(k.compressionSuffix()).isEmpty();
  }

  @Test
  void compressionSuffixLastKindFoundWinsGzThenXzThenZst() throws IOException {
    KernelTree k = new KernelTree(installTree, "6.1");
    touch("6.1/kernel/a.ko.gz");
    assertThat(k.compressionSuffix()).isEqualTo(".gz");
    touch("6.1/kernel/deep/er/b.ko.xz");
    assertThat(k.compressionSuffix()).isEqualTo(".xz");
    touch("6.1/c.ko.zst");
    assertThat(k.compressionSuffix()).isEqualTo(".zst");

    KernelTree other = new KernelTree(installTree, "6.2");
    touch("6.2/kernel/a.ko.zst");
    touch("6.2/kernel/b.ko.gz");
    assertThat(other.compressionSuffix()).isEqualTo(".zst");
    KernelTree third = new KernelTree(installTree, "6.3");
    touch("6.3/kernel/a.ko.xz");
    touch("6.3/kernel/b.ko.gz");
    assertThat(third.compressionSuffix()).isEqualTo(".xz");
  }

  @Test
  void compressionSuffixDoesNotLookThroughTheBuildSymlink() throws IOException {
    // find(1) does not follow symlinks below its start: headers-only kernels stay uncompressed
    Path headers = installTree.resolve("headers");
    Files.createDirectories(headers);
    Files.writeString(headers.resolve("x.ko.xz"), "");
    Files.createDirectories(installTree.resolve("6.1"));
    Files.createSymbolicLink(installTree.resolve("6.1/build"), headers);
    assertThat(new KernelTree(installTree, "6.1").compressionSuffix()).isEmpty();
  }

  @Test
  void findModuleMatchesPlainAndCompressedRegularFiles() throws IOException {
    KernelTree k = new KernelTree(installTree, "6.1");
    assertThat(k.findModule("foo", ".xz")).isEmpty();
    Path plain = touch("6.1/kernel/drivers/foo.ko");
    Path xz = touch("6.1/updates/dkms/foo.ko.xz");
    touch("6.1/updates/dkms/foo.ko.gz");
    touch("6.1/updates/dkms/foobar.ko");
    touch("6.1/updates/dkms/foo.o");
    Files.createDirectories(installTree.resolve("6.1/extra/foo.ko"));
    assertThat(k.findModule("foo", ".xz")).containsExactlyInAnyOrder(plain, xz);
    assertThat(k.findModule("foo", "")).containsExactly(plain);
  }

  @Test
  void findModuleIgnoresSymlinksLikeFindTypeF() throws IOException {
    // upstream: find "$tree" -name X.ko -type f; a symlink is not -type f
    Path real = touch("elsewhere/foo.ko");
    Files.createDirectories(installTree.resolve("6.1/updates"));
    Files.createSymbolicLink(installTree.resolve("6.1/updates/foo.ko"), real);
    assertThat(new KernelTree(installTree, "6.1").findModule("foo", "")).isEmpty();
  }

  @Test
  void hasModulesDep() throws IOException {
    KernelTree k = new KernelTree(installTree, "6.1");
    assertThat(k.hasModulesDep()).isFalse();
    touch("6.1/modules.dep");
    assertThat(k.hasModulesDep()).isTrue();
  }

  @Test
  void configOfPrefersAutoConf() throws IOException {
    Path ksd = installTree.resolve("6.1/build");
    assertThat(KernelTree.configOf(ksd)).isEqualTo(ksd.resolve(".config"));
    touch("6.1/build/include/config/auto.conf");
    assertThat(KernelTree.configOf(ksd)).isEqualTo(ksd.resolve("include/config/auto.conf"));
  }

  @Test
  void withHeadersListsKernelsWithBuildIncludeInVersionOrder() throws IOException {
    assertThat(KernelTree.withHeaders(installTree.resolve("missing"))).isEmpty();
    for (String k : new String[] {"6.1.0-56-amd64", "6.1.0-9-amd64", "5.10.0-30-amd64"}) {
      Files.createDirectories(installTree.resolve(k + "/build/include"));
    }
    // no headers: only the modules, or a build dir without include/
    Files.createDirectories(installTree.resolve("6.2.0-1-amd64/kernel"));
    Files.createDirectories(installTree.resolve("6.3.0-1-amd64/build"));
    // headers reached through a symlink count, as with Debian's build -> /usr/src link
    Path hdr = installTree.resolve("hdr-6.0");
    Files.createDirectories(hdr.resolve("include"));
    Files.createDirectories(installTree.resolve("6.0.0-1-amd64"));
    Files.createSymbolicLink(installTree.resolve("6.0.0-1-amd64/build"), hdr);
    assertThat(KernelTree.withHeaders(installTree))
        .containsExactly("5.10.0-30-amd64", "6.0.0-1-amd64", "6.1.0-9-amd64", "6.1.0-56-amd64");
  }
}
