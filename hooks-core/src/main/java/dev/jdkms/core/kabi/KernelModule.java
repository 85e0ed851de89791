package dev.jdkms.core.kabi;

import dev.jdkms.core.compress.Compression;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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

  private KernelModule(ModuleParser b) {
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
    return parse(ModuleCompression.readFile(file), file.toString());
  }

  /** Like {@link #read} for bytes in memory; {@code source} names them in messages. */
  public static KernelModule parse(byte[] fileBytes, String source) throws ModuleFormatException {
    try {
      return new KernelModule(ModuleParser.parse(fileBytes, source));
    } catch (ModuleFormatException e) {
      throw new ModuleFormatException(source + ": " + e.getMessage(), e.getCause());
    } catch (RuntimeException e) {
      // Every access is bounds-checked; this is a last line so that no input escapes as a crash.
      throw new ModuleFormatException(source + ": malformed module (" + e + ")", e);
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
