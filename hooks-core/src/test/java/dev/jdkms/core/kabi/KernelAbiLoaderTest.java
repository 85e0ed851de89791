package dev.jdkms.core.kabi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a kernel's ABI in a (fabricated) system tree, and the content cache. */
class KernelAbiLoaderTest {
  static final String K = "5.14.0-427.el9.x86_64";

  @TempDir Path dir;

  @BeforeEach
  void clearCache() {
    KernelAbiLoader.clearCache();
  }

  /** A RHEL-like system: /boot/symvers-K.gz and config-K, an installed kernel with modules. */
  private Path system(String name, String config) throws Exception {
    Path root = Files.createDirectories(dir.resolve(name));
    Path mods = Files.createDirectories(root.resolve("lib/modules/" + K));
    Files.createDirectories(root.resolve("boot"));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(
          ("0x12345678\tmodule_layout\tvmlinux\tEXPORT_SYMBOL\t\n"
                  + "0x0000abcd\tkfree\tvmlinux\tEXPORT_SYMBOL\t\n")
              .getBytes(StandardCharsets.US_ASCII));
    }
    Files.write(root.resolve("boot/symvers-" + K + ".gz"), gz.toByteArray());
    Files.writeString(root.resolve("boot/config-" + K), config);
    Files.writeString(
        mods.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\nkernel/lib/crc-t10dif.ko\n");
    Files.writeString(
        mods.resolve("modules.dep"),
        "kernel/drivers/net/dummy.ko.xz:\nextra/zfs/zfs.ko: kernel/drivers/net/dummy.ko.xz\n"
            + "weak-updates/old/old.ko:\n");
    TestElf dummy =
        new TestElf().modinfo("name=dummy", "vermagic=" + K + " SMP mod_unload modversions ");
    dummy.thisModuleSize = 1344;
    Path ko = Files.createDirectories(mods.resolve("kernel/drivers/net")).resolve("dummy.ko.xz");
    ByteArrayOutputStream xz = new ByteArrayOutputStream();
    try (var out = new org.tukaani.xz.XZOutputStream(xz, new org.tukaani.xz.LZMA2Options())) {
      out.write(dummy.build());
    }
    Files.write(ko, xz.toByteArray());
    return root;
  }

  private static final String RHEL_CONFIG =
      "CONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_SMP=y\nCONFIG_MODULE_UNLOAD=y\nCONFIG_MODVERSIONS=y\n"
          + "CONFIG_MODULE_SIG=y\n# CONFIG_MODULE_SIG_FORCE is not set\n";

  @Test
  void findsEveryPartOfAnInstalledKernel() throws Exception {
    Path root = system("rhel", RHEL_CONFIG);

    KernelAbi abi = new KernelAbiLoader(root, List.of()).load(K);

    assertThat(abi.symvers().orElseThrow().get("kfree").orElseThrow().crc()).isEqualTo(0xabcd);
    assertThat(abi.source("symvers")).endsWith("boot/symvers-" + K + ".gz");
    assertThat(abi.vermagic()).contains(K + " SMP mod_unload modversions ");
    assertThat(abi.source("vermagic")).contains("in-tree module").endsWith("dummy.ko.xz");
    assertThat(abi.thisModuleSize()).hasValue(1344);
    assertThat(abi.elfClass()).contains(64);
    assertThat(abi.machine()).contains(62);
    assertThat(abi.modversions()).contains(true);
    assertThat(abi.builtin().orElseThrow()).containsExactlyInAnyOrder("ext4", "crc_t10dif");
    assertThat(abi.installedModules().orElseThrow())
        .containsEntry("zfs", "extra/zfs/zfs.ko")
        .containsEntry("dummy", "kernel/drivers/net/dummy.ko.xz");
    assertThat(abi.signaturesEnforced()).contains(false);
    assertThat(abi.crcGenerator()).contains("genksyms");
  }

  @Test
  void aKernelNotIndexedYetIsMeasuredFromItsInTreeModules() throws Exception {
    // kernel-install runs its plugins before 50-depmod: no modules.dep yet
    Path root = system("rhel-unindexed", RHEL_CONFIG);
    Files.delete(root.resolve("lib/modules/" + K + "/modules.dep"));

    KernelAbi abi = new KernelAbiLoader(root, List.of()).load(K);

    assertThat(abi.source("vermagic")).contains("in-tree module").endsWith("dummy.ko.xz");
    assertThat(abi.thisModuleSize()).hasValue(1344);
    // the files stand in for the index (rule 8 needs them)
    assertThat(abi.installedModules().orElseThrow())
        .containsExactly(java.util.Map.entry("dummy", "kernel/drivers/net/dummy.ko.xz"));
    assertThat(abi.source("installed")).contains("no modules.dep yet");
  }

  @Test
  void configDecidesEnforcementAndGenerator() throws Exception {
    Path root =
        system(
            "forced",
            RHEL_CONFIG.replace("# CONFIG_MODULE_SIG_FORCE is not set", "CONFIG_MODULE_SIG_FORCE=y")
                + "CONFIG_GENDWARFKSYMS=y\n");

    KernelAbi abi = new KernelAbiLoader(root, List.of()).load(K);

    assertThat(abi.signaturesEnforced()).contains(true);
    assertThat(abi.source("signatures")).endsWith("CONFIG_MODULE_SIG_FORCE=y");
    assertThat(abi.crcGenerator()).contains("gendwarfksyms");
  }

  @Test
  void zeroCrcsMeanNoModversionsWhateverTheConfigSays() throws Exception {
    Path root = system("fedora", RHEL_CONFIG);
    Files.writeString(
        root.resolve("boot/symvers-" + K + ".gz"),
        "0x00000000\tkfree\tvmlinux\tEXPORT_SYMBOL\t\n"); // plain text under a .gz name

    KernelAbi abi = new KernelAbiLoader(root, List.of()).load(K);

    assertThat(abi.modversions()).contains(false);
    assertThat(abi.source("modversions")).contains("every CRC").contains("is 0");
  }

  @Test
  void sameFilesGiveTheSameCachedAbiAndIdenticalContentIsShared() throws Exception {
    Path a = system("a", RHEL_CONFIG);
    Path b = system("b", RHEL_CONFIG);

    KernelAbi first = new KernelAbiLoader(a, List.of()).load(K);
    KernelAbi again = new KernelAbiLoader(a, List.of()).load(K);
    KernelAbi copy = new KernelAbiLoader(b, List.of()).load(K);
    Files.writeString(
        a.resolve("boot/symvers-" + K + ".gz"), "0x00000001\tkfree\tvmlinux\tEXPORT_SYMBOL\t\n");
    KernelAbi changed = new KernelAbiLoader(a, List.of()).load(K);

    assertThat(again).isSameAs(first);
    assertThat(copy).isSameAs(first);
    assertThat(changed).isNotSameAs(first);
    assertThat(changed.symvers().orElseThrow().get("kfree").orElseThrow().crc()).isEqualTo(1);
  }

  @Test
  void headersOnlyKernelsGetTheirVermagicFromTheConfig() throws Exception {
    for (String k : RealModules.kernelsWithHeaders()) {
      KernelAbi abi = new KernelAbiLoader(Path.of("/"), List.of()).load(k);

      assertThat(abi.vermagic()).as(k).contains(k + " SMP preempt mod_unload modversions ");
      assertThat(abi.source("vermagic")).startsWith("derived from ");
      assertThat(abi.thisModuleSize()).as("no module to measure").isEmpty();
      assertThat(abi.modversions()).contains(true);
      assertThat(abi.machine()).contains(62);
      assertThat(abi.signaturesEnforced()).isPresent();
    }
  }

  @Test
  void anUnknownKernelIsEntirelyUnknown() throws Exception {
    KernelAbi abi = new KernelAbiLoader(dir, List.of()).load("7.0.0-none");

    assertThat(abi.symvers()).isEmpty();
    assertThat(abi.vermagic()).isEmpty();
    assertThat(abi.modversions()).isEmpty();
    assertThat(abi.crcGenerator()).isEmpty();
  }
}
