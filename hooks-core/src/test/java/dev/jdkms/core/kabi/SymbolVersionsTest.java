package dev.jdkms.core.kabi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymbolVersionsTest {
  @TempDir Path dir;

  @Test
  void currentFormatNamespaceLast() {
    SymbolVersions sv =
        SymbolVersions.parse(
            "0xe1cc2a05\tusb_stor_suspend\tdrivers/usb/storage/usb-storage\tEXPORT_SYMBOL_GPL\tUSB_STORAGE\n"
                + "0x4c9d28b0\tphys_base\tvmlinux\tEXPORT_SYMBOL\t\n");

    SymbolVersions.Export e = sv.get("usb_stor_suspend").orElseThrow();
    assertThat(e.crc()).isEqualTo(0xe1cc2a05L);
    assertThat(e.module()).isEqualTo("drivers/usb/storage/usb-storage");
    assertThat(e.moduleName()).isEqualTo("usb_storage");
    assertThat(e.gplOnly()).contains(true);
    assertThat(e.namespace()).isEqualTo("USB_STORAGE");
    assertThat(sv.get("phys_base").orElseThrow().namespace()).isEmpty();
    assertThat(sv.get("phys_base").orElseThrow().gplOnly()).contains(false);
    assertThat(sv.get("phys_base").orElseThrow().fromVmlinux()).isTrue();
    assertThat(sv.malformedLines()).isZero();
    assertThat(sv.allCrcsZero()).isFalse();
  }

  @Test
  void linux54NamespaceThirdFormat() {
    SymbolVersions sv =
        SymbolVersions.parse(
            "0x12345678\tusb_stor_suspend\tUSB_STORAGE\tdrivers/usb/storage/usb-storage\tEXPORT_SYMBOL_GPL\n"
                + "0x00000001\tprintk\t\tvmlinux\tEXPORT_SYMBOL\n");

    assertThat(sv.get("usb_stor_suspend").orElseThrow())
        .isEqualTo(
            new SymbolVersions.Export(
                "usb_stor_suspend",
                0x12345678L,
                "drivers/usb/storage/usb-storage",
                Optional.of("EXPORT_SYMBOL_GPL"),
                "USB_STORAGE"));
    assertThat(sv.get("printk").orElseThrow().module()).isEqualTo("vmlinux");
    assertThat(sv.get("printk").orElseThrow().namespace()).isEmpty();
  }

  @Test
  void oldFourAndThreeFieldFormats() {
    SymbolVersions sv =
        SymbolVersions.parse(
            "0x0000000012345678\tfoo\tvmlinux\tEXPORT_SYMBOL_GPL_FUTURE\n"
                + "0xabcdef01\tbar\tvmlinux\tEXPORT_UNUSED_SYMBOL\n"
                + "0x00000002\tbaz\tdrivers/x\n");

    assertThat(sv.get("foo").orElseThrow().crc()).isEqualTo(0x12345678L);
    assertThat(sv.get("foo").orElseThrow().gplOnly()).contains(false);
    assertThat(sv.get("bar").orElseThrow().exportType()).contains("EXPORT_UNUSED_SYMBOL");
    assertThat(sv.get("baz").orElseThrow().exportType()).isEmpty();
    assertThat(sv.get("baz").orElseThrow().gplOnly()).isEmpty();
    assertThat(sv.size()).isEqualTo(3);
  }

  @Test
  void malformedLinesAreCountedAndSkipped() {
    SymbolVersions sv =
        SymbolVersions.parse(
            "garbage\n0xzz\tx\tvmlinux\tEXPORT_SYMBOL\t\n\n0x1\tok\tvmlinux\tNOT_AN_EXPORT\t\n"
                + "0x2\tgood\tvmlinux\tEXPORT_SYMBOL\t\r\n");

    assertThat(sv.asMap()).containsOnlyKeys("good");
    assertThat(sv.malformedLines()).isEqualTo(3);
  }

  @Test
  void kernelWithoutModversionsHasOnlyZeroCrcs() {
    SymbolVersions sv =
        SymbolVersions.parse(
            "0x00000000\ta\tvmlinux\tEXPORT_SYMBOL\t\n0x00000000\tb\tvmlinux\tEXPORT_SYMBOL_GPL\t\n");

    assertThat(sv.allCrcsZero()).isTrue();
  }

  @Test
  void readsCompressedFilesAndTheRealDebianSymvers() throws Exception {
    String text = "0x00000007\tseven\tvmlinux\tEXPORT_SYMBOL\t\n";
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
    Path file = Files.write(dir.resolve("symvers-1.0.gz"), gz.toByteArray());
    assertThat(SymbolVersions.read(file).get("seven").orElseThrow().crc()).isEqualTo(7);

    for (String k : RealModules.kernelsWithHeaders()) {
      Path real = Path.of("/lib/modules", k, "build", "Module.symvers");
      SymbolVersions sv = SymbolVersions.read(real);
      long lines = Files.readAllLines(real).stream().filter(l -> !l.isBlank()).count();
      assertThat(sv.size()).as(k).isEqualTo(lines);
      assertThat(sv.malformedLines()).isZero();
      assertThat(sv.get("module_layout")).as(k).isPresent();
      assertThat(sv.allCrcsZero()).isFalse();
    }
  }
}
