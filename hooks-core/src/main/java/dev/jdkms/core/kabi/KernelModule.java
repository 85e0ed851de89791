package dev.jdkms.core.kabi;

import dev.jdkms.core.sign.ModuleSignature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the kernel's loader and depmod read from a module file: the {@code .modinfo} strings, the
 * CRCs of its imports ({@code __versions}, and the {@code __version_ext_*} pair of Linux 6.14+),
 * its undefined symbols, its own exports with their CRCs, the size of its {@code struct module}
 * ({@code .gnu.linkonce.this_module}), and the signature trailer. Reads {@code .ko}, {@code
 * .ko.gz}, {@code .ko.xz} and {@code .ko.zst}, signed or not, ELF32 and ELF64 in either byte order.
 * Immutable.
 */
public final class KernelModule {
  /** Undefined symbols the loader resolves itself (the fake symbols depmod adds). */
  static final Set<String> LOADER_SYMBOLS =
      Set.of("__this_module", "_GLOBAL_OFFSET_TABLE_", ".TOC.");

  private static final int EM_PPC64 = 21;
  private static final int ET_REL = 1;

  /** An undefined symbol; a weak one may stay unresolved. */
  public record Import(String name, boolean weak) {}

  /** A symbol the module exports: its CRC when it has one, and whether it is GPL-only. */
  public record Export(String name, OptionalLong crc, boolean gplOnly) {}

  private final String source;
  private final Compression compression;
  private final boolean is64;
  private final boolean bigEndian;
  private final int machine;
  private final Map<String, List<String>> modinfo;
  private final Map<String, Long> versions;
  private final Map<String, Long> extVersions;
  private final List<Import> imports;
  private final Map<String, Export> exports;
  private final OptionalLong thisModuleSize;
  private final Optional<SignatureInfo> signature;

  private KernelModule(Builder b) {
    this.source = b.source;
    this.compression = b.compression;
    this.is64 = b.elf.is64();
    this.bigEndian = b.elf.bigEndian();
    this.machine = b.elf.machine();
    this.modinfo = Collections.unmodifiableMap(b.modinfo);
    this.versions = b.versions == null ? null : Collections.unmodifiableMap(b.versions);
    this.extVersions = b.extVersions == null ? null : Collections.unmodifiableMap(b.extVersions);
    this.imports = List.copyOf(b.imports);
    this.exports = Collections.unmodifiableMap(b.exports);
    this.thisModuleSize = b.thisModuleSize;
    this.signature = Optional.ofNullable(b.signature);
  }

  /**
   * Reads a module file.
   *
   * @throws ModuleFormatException if it is not a readable kernel module (the message names it)
   * @throws IOException if it cannot be read at all
   */
  public static KernelModule read(Path file) throws IOException, ModuleFormatException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Like {@link #read} for bytes in memory; {@code source} names them in messages. */
  public static KernelModule parse(byte[] fileBytes, String source) throws ModuleFormatException {
    try {
      return parseChecked(fileBytes, source);
    } catch (ModuleFormatException e) {
      throw new ModuleFormatException(source + ": " + e.getMessage(), e.getCause());
    } catch (RuntimeException e) {
      // Every access is bounds-checked; this is a last line so that no input escapes as a crash.
      throw new ModuleFormatException(source + ": malformed module (" + e + ")", e);
    }
  }

  private static KernelModule parseChecked(byte[] fileBytes, String source)
      throws ModuleFormatException {
    Builder b = new Builder();
    b.source = source;
    b.compression = Compression.detect(fileBytes);
    byte[] raw = b.compression.decompress(fileBytes);
    byte[] body = raw;
    Optional<ModuleSignature> trailer = ModuleSignature.parse(raw);
    if (trailer.isPresent()) {
      if (trailer.get().contentLength() == 0) {
        throw new ModuleFormatException(
            "signature trailer declares "
                + trailer.get().signatureLength()
                + " bytes of signature, more than the file holds");
      }
      b.signature = SignatureInfo.describe(trailer.get(), raw);
      body = java.util.Arrays.copyOf(raw, (int) trailer.get().contentLength());
    }
    b.elf = ElfImage.parse(body);
    if (b.elf.type() != ET_REL) {
      throw new ModuleFormatException(
          "ELF type " + b.elf.type() + " is not a relocatable object (kernel modules are ET_REL)");
    }
    if (b.elf.section(".modinfo").isEmpty()
        && b.elf.section(".gnu.linkonce.this_module").isEmpty()) {
      throw new ModuleFormatException(
          "an ELF object without .modinfo or .gnu.linkonce.this_module is not a kernel module");
    }
    b.readModinfo();
    b.readVersions();
    b.readExtVersions();
    b.readSymbols();
    b.elf
        .section(".gnu.linkonce.this_module")
        .ifPresent(s -> b.thisModuleSize = OptionalLong.of(s.size()));
    return new KernelModule(b);
  }

  private static final class Builder {
    String source;
    Compression compression;
    ElfImage elf;
    SignatureInfo signature;
    final Map<String, List<String>> modinfo = new LinkedHashMap<>();
    Map<String, Long> versions;
    Map<String, Long> extVersions;
    final List<Import> imports = new ArrayList<>();
    final Map<String, Export> exports = new LinkedHashMap<>();
    OptionalLong thisModuleSize = OptionalLong.empty();

    void readModinfo() {
      Optional<ElfImage.Section> s = elf.section(".modinfo");
      if (s.isEmpty()) {
        return;
      }
      ByteBuffer c = elf.contents(s.get());
      byte[] bytes = new byte[c.remaining()];
      c.get(bytes);
      int i = 0;
      while (i < bytes.length) {
        if (bytes[i] == 0) {
          i++; // padding between strings, as the kernel's next_string() skips it
          continue;
        }
        int end = i;
        while (end < bytes.length && bytes[end] != 0) {
          end++;
        }
        String kv = new String(bytes, i, end - i, StandardCharsets.UTF_8);
        int eq = kv.indexOf('=');
        if (eq > 0) {
          modinfo
              .computeIfAbsent(kv.substring(0, eq), k -> new ArrayList<>(1))
              .add(kv.substring(eq + 1));
        }
        i = end;
      }
    }

    void readVersions() throws ModuleFormatException {
      Optional<ElfImage.Section> s = elf.section("__versions");
      if (s.isEmpty()) {
        return;
      }
      ByteBuffer c = elf.contents(s.get());
      if (c.remaining() % 64 != 0) {
        throw new ModuleFormatException(
            "__versions is " + c.remaining() + " bytes, not a multiple of 64");
      }
      versions = new LinkedHashMap<>();
      int nameOff = elf.is64() ? 8 : 4;
      for (int o = 0; o < c.limit(); o += 64) {
        long crc =
            Integer.toUnsignedLong(elf.is64() && elf.bigEndian() ? c.getInt(o + 4) : c.getInt(o));
        int end = o + nameOff;
        while (end < o + 64 && c.get(end) != 0) {
          end++;
        }
        byte[] name = new byte[end - o - nameOff];
        c.get(o + nameOff, name);
        versions.put(symbolName(new String(name, StandardCharsets.ISO_8859_1)), crc);
      }
    }

    void readExtVersions() throws ModuleFormatException {
      Optional<ElfImage.Section> crcs = elf.section("__version_ext_crcs");
      Optional<ElfImage.Section> names = elf.section("__version_ext_names");
      if (crcs.isEmpty() && names.isEmpty()) {
        return;
      }
      if (crcs.isEmpty() || names.isEmpty()) {
        throw new ModuleFormatException(
            "has "
                + (crcs.isEmpty() ? "__version_ext_names" : "__version_ext_crcs")
                + " without its partner section");
      }
      ByteBuffer c = elf.contents(crcs.get());
      ByteBuffer n = elf.contents(names.get());
      if (c.remaining() % 4 != 0) {
        throw new ModuleFormatException("__version_ext_crcs is not a multiple of 4 bytes");
      }
      extVersions = new LinkedHashMap<>();
      int count = c.remaining() / 4;
      int p = 0;
      for (int i = 0; i < count; i++) {
        int end = p;
        while (end < n.limit() && n.get(end) != 0) {
          end++;
        }
        if (end >= n.limit()) {
          throw new ModuleFormatException(
              "__version_ext_crcs has " + count + " entries but __version_ext_names only " + i);
        }
        byte[] name = new byte[end - p];
        n.get(p, name);
        extVersions.put(
            symbolName(new String(name, StandardCharsets.ISO_8859_1)),
            Integer.toUnsignedLong(c.getInt(i * 4)));
        p = end + 1;
      }
      if (p < n.limit()) {
        throw new ModuleFormatException(
            "__version_ext_names has more names than __version_ext_crcs has CRCs (" + count + ")");
      }
    }

    void readSymbols() throws ModuleFormatException {
      Map<String, Long> crcs = new LinkedHashMap<>();
      Map<String, Boolean> exported = new LinkedHashMap<>();
      for (ElfImage.Symbol sym : elf.symbols()) {
        String name = sym.name();
        if (name.isEmpty()) {
          continue;
        }
        if (sym.shndx() == ElfImage.SHN_UNDEF) {
          if (!LOADER_SYMBOLS.contains(name)) {
            imports.add(new Import(symbolName(name), sym.bind() == ElfImage.STB_WEAK));
          }
        } else if (name.startsWith("__crc_")) {
          Optional<Long> crc =
              sym.shndx() == ElfImage.SHN_ABS
                  ? Optional.of(sym.value() & 0xffffffffL)
                  : elf.u32In(sym.shndx(), sym.value());
          crc.ifPresent(v -> crcs.put(name.substring(6), v));
        } else if (name.startsWith("__ksymtab_")
            && sym.shndx() > 0
            && sym.shndx() < ElfImage.SHN_LORESERVE) {
          String section = elf.section(sym.shndx()).name();
          if (section.startsWith("__ksymtab")) {
            exported.put(name.substring(10), section.startsWith("__ksymtab_gpl"));
          }
        }
      }
      for (Map.Entry<String, Boolean> e : exported.entrySet()) {
        Long crc = crcs.get(e.getKey());
        exports.put(
            e.getKey(),
            new Export(
                e.getKey(),
                crc == null ? OptionalLong.empty() : OptionalLong.of(crc),
                e.getValue()));
      }
      for (Map.Entry<String, Long> e : crcs.entrySet()) {
        exports.putIfAbsent(
            e.getKey(), new Export(e.getKey(), OptionalLong.of(e.getValue()), false));
      }
    }

    /** ppc64 ELFv1 function descriptors: the loader strips one leading dot. */
    String symbolName(String name) {
      return elf.machine() == EM_PPC64 && name.startsWith(".") ? name.substring(1) : name;
    }
  }

  /** Where it was read from (a path, or the name given to {@link #parse}). */
  public String source() {
    return source;
  }

  public Compression compression() {
    return compression;
  }

  /** 64 for ELFCLASS64, 32 for ELFCLASS32. */
  public int elfClass() {
    return is64 ? 64 : 32;
  }

  public boolean bigEndian() {
    return bigEndian;
  }

  /** {@code e_machine} (62 x86_64, 183 aarch64, 21 ppc64, 22 s390, 243 riscv). */
  public int machine() {
    return machine;
  }

  /** All {@code .modinfo} values by key, in file order (keys may repeat). */
  public Map<String, List<String>> modinfo() {
    return modinfo;
  }

  /** The first value of a {@code .modinfo} key, if any. */
  public Optional<String> modinfo(String key) {
    List<String> v = modinfo.get(key);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Every value of a {@code .modinfo} key (e.g. {@code import_ns}). */
  public List<String> modinfoAll(String key) {
    return modinfo.getOrDefault(key, List.of());
  }

  public Optional<String> vermagic() {
    return modinfo("vermagic");
  }

  /** The kernel release the module was built for: the first word of its vermagic. */
  public Optional<String> builtFor() {
    return vermagic().map(v -> v.strip().split(" ", 2)[0]).filter(s -> !s.isEmpty());
  }

  /** {@code name=} from .modinfo, else the file name without {@code .ko*}. */
  public String name() {
    return modinfo("name")
        .filter(s -> !s.isEmpty())
        .orElseGet(
            () -> {
              String f = source.substring(source.lastIndexOf('/') + 1);
              int ko = f.indexOf(".ko");
              return (ko > 0 ? f.substring(0, ko) : f).replace('-', '_');
            });
  }

  public Optional<String> license() {
    return modinfo("license");
  }

  /** {@code depends=}: module names, empty entries dropped. */
  public List<String> depends() {
    List<String> out = new ArrayList<>();
    for (String v : modinfoAll("depends")) {
      for (String d : v.split(",")) {
        if (!d.isBlank()) {
          out.add(d.strip());
        }
      }
    }
    return out;
  }

  public List<String> importNamespaces() {
    return modinfoAll("import_ns");
  }

  public Optional<String> srcversion() {
    return modinfo("srcversion");
  }

  public Optional<String> version() {
    return modinfo("version");
  }

  /** {@code __versions} (name → CRC) in file order; empty if the module has no such section. */
  public Optional<Map<String, Long>> versions() {
    return Optional.ofNullable(versions);
  }

  /** {@code __version_ext_crcs}/{@code __version_ext_names} (Linux 6.14+), if present. */
  public Optional<Map<String, Long>> extendedVersions() {
    return Optional.ofNullable(extVersions);
  }

  /** Whether the module carries CRCs at all (either table). */
  public boolean hasModversions() {
    return versions != null || extVersions != null;
  }

  /**
   * The CRC the module expects for an import: from the extended tables when present (the kernel
   * then ignores {@code __versions}), else from {@code __versions}.
   */
  public OptionalLong crcOf(String symbol) {
    Map<String, Long> table = extVersions != null ? extVersions : versions;
    Long crc = table == null ? null : table.get(symbol);
    return crc == null ? OptionalLong.empty() : OptionalLong.of(crc);
  }

  /** Undefined symbols, minus the loader's own ({@code __this_module} etc.). */
  public List<Import> imports() {
    return imports;
  }

  /** Symbols the module exports ({@code __ksymtab_*}, CRCs from {@code __crc_*}). */
  public Map<String, Export> exports() {
    return exports;
  }

  /** {@code sh_size} of {@code .gnu.linkonce.this_module}: the built {@code struct module}. */
  public OptionalLong thisModuleSize() {
    return thisModuleSize;
  }

  /** The appended signature, if the file is signed. */
  public Optional<SignatureInfo> signature() {
    return signature;
  }

  @Override
  public String toString() {
    return "KernelModule[" + name() + " from " + source + "]";
  }
}
