package dev.jdkms.core.initramfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.Fuzz;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the initramfs reader behind the rebuild decision: images as dracut and initramfs-tools
 * write them (an uncompressed early cpio, then the main cpio compressed with gzip, xz, zstd, bzip2
 * or lz4), damaged. Every input must be listed or refused with an IOException whose message is for
 * a user, and the decision must come within its bounds; an image past them is rebuilt, saying why.
 */
class InitramfsFuzzTest {
  static final long SEED = 0x1417a3fL;
  static final String K = "6.1.0-56-amd64";
  static final ReadBudget.Limits SMALL = new ReadBudget.Limits(8 << 20, Duration.ofSeconds(2));

  @TempDir Path dir;

  @Test
  void noImageEndsInAnInternalErrorOrAnUnboundedRead() throws IOException {
    byte[] early = cpio("kernel/x86/microcode/GenuineIntel.bin");
    byte[] main = cpio("usr/lib/modules/" + K + "/updates/dkms/hello_dkms.ko", "bin/sh");
    List<byte[]> valid = new ArrayList<>();
    valid.add(concat(early, Fuzz.compress(main, GZIPOutputStream::new)));
    valid.add(concat(early, Fuzz.compress(main, XZCompressorOutputStream::new)));
    valid.add(Fuzz.compress(main, ZstdOutputStream::new));
    valid.add(concat(early, Fuzz.compress(main, BZip2CompressorOutputStream::new)));
    valid.add(Fuzz.compress(main, FramedLZ4CompressorOutputStream::new));
    valid.add(main);
    for (byte[] v : valid) {
      Files.write(dir.resolve("valid"), v);
      assertThat(InitramfsImage.files(dir.resolve("valid"), SMALL))
          .contains("usr/lib/modules/" + K + "/updates/dkms/hello_dkms.ko");
    }
    Path image = dir.resolve("initrd.img");
    new Fuzz("initramfs", SEED, 5_000, Duration.ofSeconds(3), IOException.class)
        .run(
            valid,
            (input, round) -> {
              Files.write(image, input);
              InitramfsPolicy.Decision d =
                  InitramfsPolicy.decide(
                      K,
                      Optional.of(image),
                      Optional.of(Generator.INITRAMFS_TOOLS),
                      List.of("hello_dkms"),
                      List.of(),
                      false,
                      SMALL);
              assertThat(d.reason()).doesNotContain("Exception");
              InitramfsImage.files(image, SMALL);
            });
  }

  @Test
  void anImageThatExpandsPastTheLimitIsRebuiltSayingWhy() throws IOException {
    Path image = dir.resolve("bomb.img");
    Files.write(image, Fuzz.compress(new byte[16 << 20], GZIPOutputStream::new));
    InitramfsPolicy.Decision d =
        InitramfsPolicy.decide(
            K,
            Optional.of(image),
            Optional.of(Generator.INITRAMFS_TOOLS),
            List.of("hello_dkms"),
            List.of(),
            false,
            SMALL);
    assertThat(d.regenerate()).isTrue();
    assertThat(d.reason()).isEqualTo("image not inspected: it expands to more than 8 MiB");
  }

  @Test
  void anImageThatTakesTooLongIsRebuiltSayingWhy() throws IOException {
    Path image = dir.resolve("slow.img");
    Files.write(image, Fuzz.compress(new byte[4 << 20], GZIPOutputStream::new));
    InitramfsPolicy.Decision d =
        InitramfsPolicy.decide(
            K,
            Optional.of(image),
            Optional.of(Generator.INITRAMFS_TOOLS),
            List.of("hello_dkms"),
            List.of(),
            false,
            new ReadBudget.Limits(1L << 40, Duration.ZERO));
    assertThat(d.regenerate()).isTrue();
    assertThat(d.reason()).isEqualTo("image not inspected: reading it took more than 0 seconds");
  }

  private static byte[] cpio(String... files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CpioArchiveOutputStream c =
        new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW, 4)) {
      for (String f : files) {
        byte[] data = ("content of " + f + "\n").getBytes(StandardCharsets.UTF_8);
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, f, data.length);
        e.setMode(0100644);
        c.putArchiveEntry(e);
        c.write(data);
        c.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
