package dev.jdkms.core.kabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jdkms.core.compress.Compression;
import dev.jdkms.core.sign.ModuleSignature;
import dev.jdkms.core.testutil.Fuzz;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Fuzzes the module reader behind {@code jdkms kabi check} and the build-time vermagic check:
 * synthetic modules (ELF64 and ELF32, both byte orders, extended version tables, a signature
 * trailer) plain and as .ko.gz, .ko.xz and .ko.zst, damaged. Every input must give a module whose
 * parts can all be read, or a {@link ModuleFormatException} with a message for a user.
 */
class ModuleReaderFuzzTest {
  static final long SEED = 0x6b6f66757a7aL;

  @Test
  void noModuleEndsInAnInternalError() throws IOException, ModuleFormatException {
    List<byte[]> plain = new ArrayList<>();
    TestElf le = new TestElf().modinfo("vermagic=6.1.0 SMP mod_unload modversions ", "name=m");
    le.modinfo("depends=a,b", "import_ns=NS", "license=GPL");
    le.versions.put("module_layout", 0x1234L);
    le.versions.put("printk", 0xdeadbeefL);
    le.imports.add("printk");
    le.weakImports.add("maybe");
    le.exports.put("m_export", 7L);
    le.gplExports.put("m_gpl", 8L);
    plain.add(le.build());
    TestElf be = new TestElf().modinfo("vermagic=5.14.0 ", "name=b");
    be.is64 = false;
    be.bigEndian = true;
    be.machine = 22;
    be.imports.add("sym");
    plain.add(be.build());
    TestElf ext = new TestElf().modinfo("vermagic=6.14.0 ");
    ext.extVersions = new LinkedHashMap<>(Map.of("short", 1L, "a_long_symbol_name", 2L));
    plain.add(ext.build());
    plain.add(signed(plain.get(0)));
    List<byte[]> valid = new ArrayList<>(plain);
    valid.add(Fuzz.compress(plain.get(0), GZIPOutputStream::new));
    valid.add(Fuzz.compress(plain.get(1), o -> new XZOutputStream(o, new LZMA2Options())));
    valid.add(Fuzz.compress(plain.get(2), ZstdOutputStream::new));
    for (byte[] v : valid) {
      read(v); // the valid ones are read whole
    }
    int refused =
        new Fuzz("module", SEED, 20_000, Duration.ofSeconds(3), ModuleFormatException.class)
            .run(valid, (input, round) -> read(input));
    assertThat(refused).isPositive();
  }

  @Test
  void aStreamLargerThanTheLimitIsRefusedBeforeTheHeapRunsOut() throws IOException {
    byte[] bomb = Fuzz.compress(new byte[3 << 20], GZIPOutputStream::new);
    assertThatThrownBy(() -> ModuleCompression.decompress(Compression.GZIP, bomb, 2 << 20))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessageStartingWith("gzip stream decompresses to more than 2 MiB (the limit with a ");
    assertThat(ModuleCompression.decompressionLimit())
        .isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() / 3);
  }

  /** Reads every part, as kabi check and its verdicts do. */
  private static void read(byte[] input) throws ModuleFormatException {
    KernelModule m = KernelModule.parse(input, "fuzz.ko");
    m.name();
    m.vermagic();
    m.builtFor();
    m.license();
    m.depends();
    m.importNamespaces();
    m.srcversion();
    m.version();
    m.versions();
    m.extendedVersions();
    m.hasModversions();
    m.imports().forEach(i -> m.crcOf(i.name()));
    m.exports();
    m.thisModuleSize();
    m.signature();
    m.toString();
  }

  /** A PKCS#7 trailer as sign-file appends it, with a signature of 32 arbitrary bytes. */
  private static byte[] signed(byte[] module) {
    byte[] magic = ModuleSignature.MAGIC.getBytes(StandardCharsets.US_ASCII);
    int sigLen = 32;
    ByteBuffer b = ByteBuffer.allocate(module.length + sigLen + 12 + magic.length);
    b.put(module);
    for (int i = 0; i < sigLen; i++) {
      b.put((byte) (0x30 + i));
    }
    b.put(new byte[] {0, 0, (byte) ModuleSignature.PKEY_ID_PKCS7, 0, 0, 0, 0, 0});
    b.putInt(sigLen);
    b.put(magic);
    return b.array();
  }
}
