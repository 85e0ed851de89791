package dev.jdkms.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jdkms.core.testutil.Fuzz;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class DecompressionTest {
  @TempDir Path tmp;

  private static final byte[] TEXT =
      "one copy of every fact\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

  /** TEXT in every format decoded in Java, as their own encoders write it. */
  private static Map<Compression, byte[]> samples() throws IOException {
    Map<Compression, byte[]> m = new LinkedHashMap<>();
    m.put(Compression.GZIP, Fuzz.compress(TEXT, GZIPOutputStream::new));
    m.put(Compression.BZIP2, Fuzz.compress(TEXT, BZip2CompressorOutputStream::new));
    m.put(Compression.XZ, Fuzz.compress(TEXT, o -> new XZOutputStream(o, new LZMA2Options())));
    m.put(Compression.LZMA, Fuzz.compress(TEXT, LZMACompressorOutputStream::new));
    m.put(Compression.ZSTD, Fuzz.compress(TEXT, ZstdOutputStream::new));
    m.put(Compression.LZ4_FRAME, Fuzz.compress(TEXT, FramedLZ4CompressorOutputStream::new));
    m.put(Compression.LZ4_LEGACY, lz4Legacy(TEXT));
    return m;
  }

  // The kernel's legacy format: magic, then (little-endian size, LZ4 block)*
  private static byte[] lz4Legacy(byte[] data) throws IOException {
    byte[] block = Fuzz.compress(data, BlockLZ4CompressorOutputStream::new);
    ByteBuffer b = ByteBuffer.allocate(8 + block.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x184c2102).putInt(block.length).put(block);
    return b.array();
  }

  @Test
  void everyFormatIsRecognisedAndDecodedWhole() throws IOException {
    for (Map.Entry<Compression, byte[]> e : samples().entrySet()) {
      assertThat(Compression.detect(e.getValue())).as(e.getKey().name()).isEqualTo(e.getKey());
      assertThat(Decompression.decompress(e.getValue(), e.getKey(), 1 << 20))
          .as(e.getKey().name())
          .isEqualTo(TEXT);
      Path file = Files.write(tmp.resolve("sample" + e.getKey().suffix()), e.getValue());
      try (InputStream in = Decompression.open(file, Budget.UNLIMITED)) {
        assertThat(in.readAllBytes()).as(e.getKey().name()).isEqualTo(TEXT);
      }
    }
  }

  @Test
  void concatenatedGzipMembersAreReadAsOne() throws IOException {
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(Fuzz.compress(TEXT, GZIPOutputStream::new));
    both.write(Fuzz.compress(TEXT, GZIPOutputStream::new));
    assertThat(Decompression.decompress(both.toByteArray(), Compression.GZIP, 1 << 20))
        .hasSize(2 * TEXT.length);
  }

  @Test
  void theBudgetStopsTheDecoder() throws IOException {
    for (Map.Entry<Compression, byte[]> e : samples().entrySet()) {
      assertThatThrownBy(() -> Decompression.decompress(e.getValue(), e.getKey(), 1000))
          .as(e.getKey().name())
          .isInstanceOf(LimitExceededException.class)
          .extracting(x -> ((LimitExceededException) x).limit())
          .isEqualTo(1000L);
    }
    byte[] gz = samples().get(Compression.GZIP);
    Path file = Files.write(tmp.resolve("a.gz"), gz);
    try (InputStream in = Decompression.open(file, Budget.ofBytes(TEXT.length - 1))) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(LimitExceededException.class);
    }
  }

  @Test
  void corruptStreamsAreNamed() {
    byte[] gz = new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0};
    assertThatThrownBy(() -> Decompression.decompress(gz, Compression.GZIP, 1 << 20))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("corrupt gzip stream: ");
  }

  @Test
  void plainDataIsItself() throws IOException {
    assertThat(Decompression.decompress(TEXT, Compression.NONE, 1)).isSameAs(TEXT);
    Path file = Files.write(tmp.resolve("plain.tar.gz"), TEXT);
    try (InputStream in = Decompression.open(file, Budget.UNLIMITED)) {
      assertThat(in.readAllBytes()).isEqualTo(TEXT);
    }
  }
}
