package dev.jdkms.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which command compresses a module, and real xz/zstd runs whose output the tools accept. */
class ModuleCompressorTest {
  @TempDir Path dir;

  private static final ModuleCompressor.Runner NONE = c -> 0;

  @Test
  void onlyALargeModuleGetsThreadsAndOnlyWhenTheOptionsNameNone() {
    Path m = Path.of("/b/m.ko");
    ModuleCompressor xz = new ModuleCompressor(".xz", "--check=crc32 --lzma2=dict=1MiB", 4, NONE);
    assertThat(xz.command(m, 1_000_000))
        .containsExactly("xz", "--check=crc32", "--lzma2=dict=1MiB", "-f", "/b/m.ko");
    assertThat(xz.command(m, ModuleCompressor.LARGE_BYTES))
        .containsExactly("xz", "--check=crc32", "--lzma2=dict=1MiB", "-T4", "-f", "/b/m.ko");
    assertThat(new ModuleCompressor(".zst", "-q --rm -T0", 4, NONE).command(m, 1L << 30))
        .containsExactly("zstd", "-q", "--rm", "-T0", "-f", "/b/m.ko");
    assertThat(new ModuleCompressor(".xz", "--threads=2", 4, NONE).command(m, 1L << 30))
        .containsExactly("xz", "--threads=2", "-f", "/b/m.ko");
    assertThat(new ModuleCompressor(".gz", "", 4, NONE).command(m, 1L << 30))
        .containsExactly("gzip", "-f", "/b/m.ko");
    assertThat(new ModuleCompressor(".xz", "", 1, NONE).command(m, 1L << 30))
        .containsExactly("xz", "-f", "/b/m.ko");
    assertThat(ModuleCompressor.threads("3")).isEqualTo(3);
    assertThat(ModuleCompressor.threads("")).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(ModuleCompressor.threads("x")).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  private static byte[] compressible(int size) {
    byte[] b = new byte[size];
    Random r = new Random(7);
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + r.nextInt(4));
    }
    return b;
  }

  private static int run(List<String> cmd) throws java.io.IOException {
    try {
      return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.IOException(e);
    }
  }

  @Test
  void aLargeModuleCompressedWithThreadsDecompressesToTheSameBytes() throws Exception {
    // a repeated random block: large, yet quick to compress
    byte[] block = compressible(64 * 1024);
    byte[] data = new byte[(int) ModuleCompressor.LARGE_BYTES + 4096];
    for (int i = 0; i < data.length; i++) {
      data[i] = block[i % block.length];
    }
    for (String suffix : List.of(".xz", ".zst")) {
      Path m = dir.resolve("big" + suffix.substring(1) + ".ko");
      Files.write(m, data);
      String opts = suffix.equals(".xz") ? "--check=crc32 --lzma2=dict=1MiB" : "-q --rm -T0";
      List<Path> out =
          new ModuleCompressor(suffix, opts, 2, ModuleCompressorTest::run).compressAll(List.of(m));
      assertThat(out).containsExactly(Path.of(m + suffix));
      Path back = dir.resolve("back" + suffix.substring(1));
      String tool = suffix.equals(".xz") ? "xz" : "zstd";
      assertThat(run(List.of("sh", "-c", tool + " -dc " + out.get(0) + " > " + back))).isZero();
      assertThat(Files.readAllBytes(back)).isEqualTo(data);
    }
    // xz with threads wrote several blocks (each 3 MiB with a 1 MiB dictionary)
    Path blocks = dir.resolve("blocks");
    run(List.of("sh", "-c", "xz --robot -l " + dir.resolve("bigxz.ko.xz") + " > " + blocks));
    String totals =
        Files.readAllLines(blocks).stream()
            .filter(l -> l.startsWith("totals"))
            .findFirst()
            .orElseThrow();
    assertThat(Integer.parseInt(totals.split("\t")[2])).isGreaterThan(1);
  }

  @Test
  void severalModulesAreCompressedSideBySideAndAFailureLeavesThatOneUncompressed()
      throws Exception {
    List<Path> modules = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      modules.add(Files.write(dir.resolve("m" + i + ".ko"), compressible(10_000)));
    }
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    ModuleCompressor c =
        new ModuleCompressor(
            ".xz",
            "",
            2,
            cmd -> {
              ran.add(cmd.get(cmd.size() - 1));
              return cmd.get(cmd.size() - 1).endsWith("m2.ko") ? 1 : run(cmd);
            });
    List<Path> out = c.compressAll(modules);
    assertThat(out)
        .containsExactly(
            Path.of(modules.get(0) + ".xz"),
            Path.of(modules.get(1) + ".xz"),
            modules.get(2),
            Path.of(modules.get(3) + ".xz"));
    assertThat(ran).hasSize(4);
  }
}
