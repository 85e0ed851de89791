package dev.jdkms.core.initramfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Images made with the real cpio and compressors, the way mkinitramfs and dracut make them. */
class InitramfsImageTest {
  static final String K = "6.1.0-56-amd64";
  @TempDir Path dir;

  private void sh(String script) throws Exception {
    Process p =
        new ProcessBuilder("bash", "-ec", script).directory(dir.toFile()).inheritIO().start();
    assertThat(p.waitFor()).as(script).isZero();
  }

  /** An early cpio with microcode, then the main cpio compressed with {@code compressor}. */
  private Path image(String compressor, boolean early) throws Exception {
    sh(
        "mkdir -p early/kernel/x86/microcode main/usr/lib/modules/"
            + K
            + "/updates/dkms main/usr/lib/modules/"
            + K
            + "/kernel/fs main/bin\n"
            + "echo ucode > early/kernel/x86/microcode/GenuineIntel.bin\n"
            + "echo ko > main/usr/lib/modules/"
            + K
            + "/updates/dkms/hello_dkms.ko\n"
            + "echo ko > main/usr/lib/modules/"
            + K
            + "/kernel/fs/ext4.ko.xz\n"
            + "echo sh > main/bin/sh\n"
            + (early ? "(cd early && find . | cpio -o -H newc --quiet) > img\n" : ": > img\n")
            + "(cd main && find . | cpio -o -H newc --quiet | "
            + compressor
            + ") >> img\n");
    return dir.resolve("img");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gzip -9",
        "xz --check=crc32 --lzma2=dict=1MiB",
        "zstd -q -19",
        "lz4 -l -q",
        "lz4 -q",
        "cat",
        "bzip2",
        "lzma"
      })
  void listsEveryFileBehindTheEarlyCpio(String compressor) throws Exception {
    Set<String> files = InitramfsImage.files(image(compressor, true));
    assertThat(files)
        .contains(
            "kernel/x86/microcode/GenuineIntel.bin",
            "usr/lib/modules/" + K + "/updates/dkms/hello_dkms.ko",
            "usr/lib/modules/" + K + "/kernel/fs/ext4.ko.xz",
            "bin/sh");
  }

  @Test
  void readsAnImageWithoutEarlyPart() throws Exception {
    assertThat(InitramfsImage.files(image("gzip", false))).contains("bin/sh");
  }

  @Test
  void regeneratesOnlyWhenAChangedModuleIsInside() throws Exception {
    Path img = image("zstd -q", true);
    Optional<Generator> g = Optional.of(Generator.DRACUT);
    assertThat(
            InitramfsPolicy.decide(K, Optional.of(img), g, List.of("hello-dkms"), List.of(), false))
        .matches(InitramfsPolicy.Decision::regenerate)
        .extracting(InitramfsPolicy.Decision::reason)
        .isEqualTo("in the image: hello-dkms");
    assertThat(
            InitramfsPolicy.decide(
                    K, Optional.of(img), g, List.of("v4l2loopback"), List.of(), false)
                .regenerate())
        .isFalse();
    assertThat(
            InitramfsPolicy.decide(
                    K, Optional.of(img), g, List.of("v4l2loopback"), List.of("v4l2loopback"), false)
                .regenerate())
        .isTrue();
    // Another kernel's copy of the module does not count.
    assertThat(
            InitramfsPolicy.decide(
                    "6.1.0-55-amd64", Optional.of(img), g, List.of("hello_dkms"), List.of(), false)
                .regenerate())
        .isFalse();
  }

  @Test
  void neverWhenTheKernelsOwnHookBuildsTheImageNextOrThereIsNone() throws Exception {
    Path img = image("gzip", true);
    Optional<Generator> g = Optional.of(Generator.INITRAMFS_TOOLS);
    assertThat(
            InitramfsPolicy.decide(
                    K, Optional.of(img), g, List.of("hello_dkms"), List.of("hello_dkms"), true)
                .regenerate())
        .isFalse();
    assertThat(
            InitramfsPolicy.decide(
                K, Optional.empty(), g, List.of("hello_dkms"), List.of("hello_dkms"), false))
        .extracting(InitramfsPolicy.Decision::reason)
        .isEqualTo("the kernel has no initramfs image");
  }

  @Test
  void detectsTheGenerator() throws Exception {
    Path root = dir.resolve("root");
    assertThat(Generator.detect(root, Map.of())).isEmpty();
    assertThat(Generator.detect(root, Map.of("KERNEL_INSTALL_INITRD_GENERATOR", "dracut")))
        .contains(Generator.DRACUT);
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createFile(root.resolve("usr/bin/dracut")).toFile().setExecutable(true);
    assertThat(Generator.detect(root, Map.of())).contains(Generator.DRACUT);
    Files.createDirectories(root.resolve("usr/sbin"));
    Files.createDirectories(root.resolve("etc/initramfs-tools"));
    Files.createFile(root.resolve("usr/sbin/update-initramfs")).toFile().setExecutable(true);
    assertThat(Generator.detect(root, Map.of())).contains(Generator.INITRAMFS_TOOLS);
    Files.createDirectories(root.resolve("boot"));
    Files.writeString(root.resolve("boot/initramfs-" + K + ".img"), "x");
    assertThat(ImageLocator.find(root, K, Map.of()))
        .contains(root.resolve("boot/initramfs-" + K + ".img"));
  }
}
