package dev.jdkms.core.kabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jdkms.core.compress.Compression;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module reader on real modules (compared with kmod's tools) and on synthetic variants. */
class KernelModuleTest {
  @TempDir static Path dir;
  static RealModules real;

  @BeforeAll
  static void buildModules() throws Exception {
    real = RealModules.build(dir);
  }

  @Test
  void readsModinfoAsModinfoShowsIt() throws Exception {
    Path ko = real.module(real.newer, "kabi_user");
    KernelModule m = KernelModule.read(ko);

    assertThat(m.name()).isEqualTo("kabi_user");
    assertThat(m.vermagic().map(String::strip)).contains(modinfo(ko, "vermagic"));
    assertThat(m.builtFor()).contains(real.newer);
    assertThat(m.license()).contains("GPL");
    assertThat(m.depends()).containsExactly("kabi_prov");
    assertThat(m.importNamespaces()).containsExactly("KABI_TEST");
    assertThat(m.srcversion()).contains(modinfo(ko, "srcversion"));
    assertThat(m.version()).contains("2.5");
    assertThat(m.elfClass()).isEqualTo(64);
    assertThat(m.bigEndian()).isFalse();
    assertThat(m.machine()).isEqualTo(62);
    assertThat(m.compression()).isEqualTo(Compression.NONE);
    assertThat(m.signature()).isEmpty();
  }

  @Test
  void versionsAreWhatModprobeDumps() throws Exception {
    Path ko = real.module(real.newer, "kabi_user");
    Map<String, Long> dumped = new LinkedHashMap<>();
    for (String l : run("modprobe", "--dump-modversions", ko.toString()).split("\n")) {
      String[] f = l.split("\t");
      dumped.put(f[1], Long.decode(f[0]));
    }

    KernelModule m = KernelModule.read(ko);

    assertThat(m.versions()).contains(dumped);
    assertThat(dumped).containsKeys("module_layout", "kfree", "kabi_prov_add");
    assertThat(m.crcOf("kfree")).hasValue(dumped.get("kfree"));
    assertThat(m.extendedVersions()).isEmpty();
  }

  @Test
  void importsAreTheUndefinedSymbolsNmShows() throws Exception {
    Path ko = real.module(real.newer, "kabi_user");
    List<String> nm =
        run("nm", "-u", ko.toString())
            .lines()
            .map(l -> l.strip().split("\\s+")[1])
            .filter(s -> !s.equals("__this_module"))
            .toList();

    KernelModule m = KernelModule.read(ko);

    assertThat(m.imports())
        .extracting(KernelModule.Import::name)
        .containsExactlyInAnyOrderElementsOf(nm);
    assertThat(m.imports()).noneMatch(KernelModule.Import::weak);
  }

  @Test
  void exportsCarryTheCrcsModpostWroteToModuleSymvers() throws Exception {
    SymbolVersions built = SymbolVersions.read(real.symvers(real.newer));
    KernelModule m = KernelModule.read(real.module(real.newer, "kabi_prov"));

    assertThat(m.exports()).containsOnlyKeys("kabi_prov_add", "kabi_prov_plain");
    assertThat(m.exports().get("kabi_prov_add").crc())
        .hasValue(built.get("kabi_prov_add").orElseThrow().crc());
    assertThat(m.exports().get("kabi_prov_add").gplOnly()).isTrue();
    assertThat(m.exports().get("kabi_prov_plain").crc())
        .hasValue(built.get("kabi_prov_plain").orElseThrow().crc());
    assertThat(m.exports().get("kabi_prov_plain").gplOnly()).isFalse();
  }

  @Test
  void structModuleSizeIsTheSectionSizeReadelfShows() throws Exception {
    Path ko = real.module(real.older, "kabi_prov");
    String line =
        run("readelf", "-S", "-W", ko.toString())
            .lines()
            .filter(l -> l.contains(".gnu.linkonce.this_module"))
            .findFirst()
            .orElseThrow();
    String[] f = line.substring(line.indexOf(".gnu.linkonce.this_module")).split("\\s+");
    long size = Long.parseLong(f[4], 16);

    assertThat(KernelModule.read(ko).thisModuleSize()).hasValue(size);
  }

  @Test
  void compressedModulesReadTheSame() throws Exception {
    Path ko = real.module(real.newer, "kabi_user");
    KernelModule plain = KernelModule.read(ko);
    Path work = Files.createDirectories(dir.resolve("compressed"));
    Map<Compression, Path> files = new HashMap<>();
    for (Compression c : List.of(Compression.GZIP, Compression.XZ, Compression.ZSTD)) {
      Path copy = work.resolve("kabi_user.ko");
      Files.copy(ko, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      switch (c) {
        case GZIP -> run("gzip", "-n", "-f", copy.toString());
        case XZ -> run("xz", "--check=crc32", "--lzma2=dict=1MiB", "-f", copy.toString());
        default -> run("zstd", "--rm", "-f", "-q", copy.toString());
      }
      files.put(c, work.resolve("kabi_user.ko" + c.suffix()));
    }

    for (Map.Entry<Compression, Path> e : files.entrySet()) {
      KernelModule m = KernelModule.read(e.getValue());
      assertThat(m.compression()).isEqualTo(e.getKey());
      assertThat(m.versions()).isEqualTo(plain.versions());
      assertThat(m.imports()).isEqualTo(plain.imports());
      assertThat(m.modinfo()).isEqualTo(plain.modinfo());
    }
  }

  @Test
  void signatureIsStrippedAndDescribedAsModinfoDoes() throws Exception {
    Path work = Files.createDirectories(dir.resolve("signed"));
    Path key = work.resolve("key.pem");
    Path cert = work.resolve("cert.pem");
    run(
        "openssl",
        "req",
        "-new",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=jdkms kabi test key/",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString());
    Path ko = work.resolve("kabi_user.ko");
    Files.copy(real.module(real.newer, "kabi_user"), ko);
    run(
        "/usr/lib/linux-kbuild-6.1/scripts/sign-file",
        "sha256",
        key.toString(),
        cert.toString(),
        ko.toString());
    run("xz", "-k", "--check=crc32", ko.toString());

    for (Path p : List.of(ko, work.resolve("kabi_user.ko.xz"))) {
      KernelModule m = KernelModule.read(p);
      SignatureInfo sig = m.signature().orElseThrow();
      assertThat(sig.signer()).isEqualTo(modinfo(ko, "signer"));
      assertThat(sig.keyId()).isEqualTo(modinfo(ko, "sig_key"));
      assertThat(sig.hashAlgorithm()).isEqualTo(modinfo(ko, "sig_hashalgo"));
      assertThat(sig.wellFormed()).isTrue();
      assertThat(m.versions())
          .isEqualTo(KernelModule.read(real.module(real.newer, "kabi_user")).versions());
    }
  }

  @Test
  void readsElf32AndBigEndianModules() throws Exception {
    for (boolean is64 : new boolean[] {false, true}) {
      for (boolean be : new boolean[] {false, true}) {
        TestElf t = new TestElf();
        t.is64 = is64;
        t.bigEndian = be;
        t.machine = be ? 22 : 3;
        t.modinfo("license=GPL", "vermagic=5.14.0 SMP mod_unload modversions ", "name=synth");
        t.modinfo("depends=a,b", "import_ns=NS1", "import_ns=NS2");
        t.versions.put("module_layout", 0x12345678L);
        t.versions.put("printk", 0xdeadbeefL);
        t.imports.add("printk");
        t.weakImports.add("maybe_there");
        t.exports.put("synth_plain", 0xcafef00dL);
        t.gplExports.put("synth_gpl", 0x0badf00dL);
        t.thisModuleSize = is64 ? 1344 : 576;

        KernelModule m = KernelModule.parse(t.build(), "synth.ko");

        String what = (is64 ? "ELF64" : "ELF32") + (be ? " BE" : " LE");
        assertThat(m.elfClass()).as(what).isEqualTo(is64 ? 64 : 32);
        assertThat(m.bigEndian()).as(what).isEqualTo(be);
        assertThat(m.machine()).as(what).isEqualTo(be ? 22 : 3);
        assertThat(m.name()).isEqualTo("synth");
        assertThat(m.depends()).containsExactly("a", "b");
        assertThat(m.importNamespaces()).containsExactly("NS1", "NS2");
        assertThat(m.versions())
            .contains(Map.of("module_layout", 0x12345678L, "printk", 0xdeadbeefL));
        assertThat(m.imports())
            .containsExactly(
                new KernelModule.Import("printk", false),
                new KernelModule.Import("maybe_there", true));
        assertThat(m.exports().get("synth_plain").crc()).as(what).hasValue(0xcafef00dL);
        assertThat(m.exports().get("synth_plain").gplOnly()).isFalse();
        assertThat(m.exports().get("synth_gpl").crc()).hasValue(0x0badf00dL);
        assertThat(m.exports().get("synth_gpl").gplOnly()).isTrue();
        assertThat(m.thisModuleSize()).hasValue(is64 ? 1344 : 576);
      }
    }
  }

  @Test
  void extendedVersionTablesWinOverVersions() throws Exception {
    TestElf t = new TestElf().modinfo("vermagic=6.14.0 SMP mod_unload modversions ");
    t.versions.put("short_name", 1L);
    t.extVersions = new LinkedHashMap<>();
    t.extVersions.put("short_name", 2L);
    t.extVersions.put("a_symbol_name_that_is_far_too_long_for_the_fixed_size_versions_table", 3L);

    KernelModule m = KernelModule.parse(t.build(), "ext.ko");

    assertThat(m.extendedVersions()).hasValueSatisfying(v -> assertThat(v).hasSize(2));
    assertThat(m.crcOf("short_name")).hasValue(2L);
    assertThat(m.crcOf("a_symbol_name_that_is_far_too_long_for_the_fixed_size_versions_table"))
        .hasValue(3L);
  }

  @Test
  void malformedFilesAreReportedNotThrown() {
    TestElf t = new TestElf().modinfo("vermagic=x ");
    byte[] good = t.build();
    byte[] exec = good.clone();
    exec[16] = 2;
    assertThatThrownBy(() -> KernelModule.parse("hello".getBytes(StandardCharsets.UTF_8), "f"))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessage("f: not an ELF file (no \\x7fELF magic)");
    assertThatThrownBy(() -> KernelModule.parse(java.util.Arrays.copyOf(good, 40), "short.ko"))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessageContaining("short.ko");
    assertThatThrownBy(() -> KernelModule.parse(exec, "exec.ko"))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessageContaining("not a relocatable object");
    assertThatThrownBy(
            () ->
                KernelModule.parse(
                    new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1}, "z.ko.zst"))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessageContaining("zstd");
    TestElf mismatch = new TestElf().modinfo("vermagic=x ");
    mismatch.extVersions = new LinkedHashMap<>();
    mismatch.extVersions.put("a", 1L);
    mismatch.extVersions.put("bb", 2L);
    byte[] bad = mismatch.build();
    // join the two names into one: two CRCs, one name
    int at = new String(bad, StandardCharsets.ISO_8859_1).indexOf("a\0bb\0");
    bad[at + 1] = 'x';
    assertThatThrownBy(() -> KernelModule.parse(bad, "ext.ko"))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessage("ext.ko: __version_ext_crcs has 2 entries but __version_ext_names only 1");
  }

  /**
   * Mutation fuzzing: flipped bytes, truncations and overwritten header fields of real and
   * synthetic modules (plain and compressed). Every input must end in a result or in {@link
   * ModuleFormatException}; anything else is a bug. Seeded and bounded: the same inputs each run.
   */
  @Test
  void mutatedModulesNeverCrashTheReader() throws Exception {
    List<byte[]> seeds = new java.util.ArrayList<>();
    seeds.add(Files.readAllBytes(real.module(real.newer, "kabi_user")));
    seeds.add(Files.readAllBytes(real.module(real.older, "kabi_prov")));
    TestElf t32 = new TestElf().modinfo("vermagic=1 ", "depends=x");
    t32.is64 = false;
    t32.bigEndian = true;
    t32.imports.add("sym");
    t32.exports.put("e", 5L);
    seeds.add(t32.build());
    TestElf ext = new TestElf().modinfo("vermagic=1 ");
    ext.extVersions = new LinkedHashMap<>(Map.of("a", 1L, "bb", 2L));
    seeds.add(ext.build());
    seeds.add(xz(seeds.get(2)));

    Random random = new Random(0x6b616269L);
    int ok = 0;
    int rejected = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] seed = seeds.get(i % seeds.size());
      byte[] m = mutate(seed, random);
      try {
        KernelModule.parse(m, "fuzz-" + i + ".ko");
        ok++;
      } catch (ModuleFormatException e) {
        assertThat(e.getMessage())
            .startsWith("fuzz-" + i + ".ko: ")
            .doesNotContain("malformed module (");
        rejected++;
      } catch (Throwable e) {
        throw new AssertionError("input #" + i + " crashed the reader", e);
      }
    }
    assertThat(ok).isPositive();
    assertThat(rejected).isPositive();
  }

  private static byte[] mutate(byte[] seed, Random r) {
    byte[] m = seed.clone();
    switch (r.nextInt(5)) {
      case 0 -> {
        for (int n = 1 + r.nextInt(16); n > 0; n--) {
          m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> m = java.util.Arrays.copyOf(m, r.nextInt(m.length));
      case 2 -> {
        // ELF header fields: shoff, shentsize, shnum, shstrndx, class, data
        int[] offsets = {4, 5, 16, 32, 40, 46, 48, 50, 58, 60, 62};
        int o = offsets[r.nextInt(offsets.length)];
        for (int k = 0; k < 2 && o + k < m.length; k++) {
          m[o + k] = (byte) (r.nextBoolean() ? 0xff : r.nextInt(256));
        }
      }
      case 3 -> {
        // somewhere in the section header table (the end of the file)
        int from = Math.max(0, m.length - 64 * 24);
        for (int n = 1 + r.nextInt(8); n > 0; n--) {
          int o = from + r.nextInt(m.length - from);
          m[o] = (byte) r.nextInt(256);
        }
      }
      default -> {
        int o = r.nextInt(Math.max(1, m.length - 8));
        java.nio.ByteBuffer.wrap(m).putLong(Math.min(o, m.length - 8), r.nextLong());
      }
    }
    return m;
  }

  private static byte[] xz(byte[] data) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (org.tukaani.xz.XZOutputStream x =
        new org.tukaani.xz.XZOutputStream(out, new org.tukaani.xz.LZMA2Options())) {
      x.write(data);
    }
    return out.toByteArray();
  }

  static String modinfo(Path ko, String field) throws Exception {
    return run("modinfo", "-F", field, ko.toString()).strip();
  }

  static String run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
    return out;
  }
}
