package dev.jdkms.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompressionTest {
  @Test
  void choosesLikeTarDashA() {
    assertThat(Compression.forArchiveName("m-1.0-kernel6.1-x86_64.dkms.tar.gz"))
        .isEqualTo(Compression.GZIP);
    assertThat(Compression.forArchiveName("x.tgz")).isEqualTo(Compression.GZIP);
    assertThat(Compression.forArchiveName("x.taz")).isEqualTo(Compression.GZIP);
    assertThat(Compression.forArchiveName("x.tar.bz2")).isEqualTo(Compression.BZIP2);
    assertThat(Compression.forArchiveName("x.tbz2")).isEqualTo(Compression.BZIP2);
    assertThat(Compression.forArchiveName("x.tar.xz")).isEqualTo(Compression.XZ);
    assertThat(Compression.forArchiveName("x.txz")).isEqualTo(Compression.XZ);
    // GNU tar 1.34 writes xz data for these names
    assertThat(Compression.forArchiveName("x.tar.lzma")).isEqualTo(Compression.XZ);
    assertThat(Compression.forArchiveName("x.tar.zst")).isEqualTo(Compression.ZSTD);
    assertThat(Compression.forArchiveName("x.tzst")).isEqualTo(Compression.ZSTD);
    assertThat(Compression.forArchiveName("x.tar.Z")).isEqualTo(Compression.COMPRESS);
    assertThat(Compression.forArchiveName("x.tar.lz")).isEqualTo(Compression.LZIP);
    assertThat(Compression.forArchiveName("x.tar.lzo")).isEqualTo(Compression.LZOP);
    // anything else, including other letter cases, is a plain tar
    assertThat(Compression.forArchiveName("x.tar")).isEqualTo(Compression.NONE);
    assertThat(Compression.forArchiveName("x.TGZ")).isEqualTo(Compression.NONE);
    assertThat(Compression.forArchiveName("x.gz.bak")).isEqualTo(Compression.NONE);
    assertThat(Compression.forArchiveName("noext")).isEqualTo(Compression.NONE);
    assertThat(Compression.forArchiveName("dir.gz/x")).isEqualTo(Compression.NONE);
  }

  @Test
  void recognisesTheDataWhateverTheName() {
    assertThat(Compression.detect(bytes(0x1f, 0x8b, 8))).isEqualTo(Compression.GZIP);
    assertThat(Compression.detect(bytes('B', 'Z', 'h', '9'))).isEqualTo(Compression.BZIP2);
    assertThat(Compression.detect(bytes(0xfd, '7', 'z', 'X', 'Z', 0))).isEqualTo(Compression.XZ);
    assertThat(Compression.detect(bytes(0x28, 0xb5, 0x2f, 0xfd))).isEqualTo(Compression.ZSTD);
    assertThat(Compression.detect(bytes(0x1f, 0x9d))).isEqualTo(Compression.COMPRESS);
    assertThat(Compression.detect(bytes('L', 'Z', 'I', 'P'))).isEqualTo(Compression.LZIP);
    assertThat(Compression.detect(bytes(0x5d, 0, 0, 0x80))).isEqualTo(Compression.LZMA);
    assertThat(Compression.detect(bytes(0x89, 'L', 'Z', 'O', 0, 0x0d, 0x0a, 0x1a, 0x0a)))
        .isEqualTo(Compression.LZOP);
    assertThat(Compression.detect(bytes(0x02, 0x21, 0x4c, 0x18))).isEqualTo(Compression.LZ4_LEGACY);
    assertThat(Compression.detect(bytes(0x04, 0x22, 0x4d, 0x18))).isEqualTo(Compression.LZ4_FRAME);
    assertThat(Compression.detect(bytes(0x7f, 'E', 'L', 'F', 2))).isEqualTo(Compression.NONE);
    assertThat(Compression.detect(bytes('.', '/', 0))).isEqualTo(Compression.NONE);
    assertThat(Compression.detect(bytes())).isEqualTo(Compression.NONE);
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }
}
