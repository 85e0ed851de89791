package dev.jdkms.core.kabi;

import dev.jdkms.core.compress.Compression;
import dev.jdkms.core.kabi.KernelModule.Export;
import dev.jdkms.core.kabi.KernelModule.Import;
import dev.jdkms.core.sign.ModuleSignature;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the parts of a module file that {@link KernelModule} exposes: decompression, signature
 * trailer, then the sections {@code .modinfo}, {@code __versions}, {@code __version_ext_*}, the
 * symbol table and {@code .gnu.linkonce.this_module}.
 */
final class ModuleParser {
  private static final int EM_PPC64 = 21;
  private static final int ET_REL = 1;

  static ModuleParser parse(byte[] fileBytes, String source) throws ModuleFormatException {
    ModuleParser b = new ModuleParser();
    b.source = source;
    b.compression = ModuleCompression.detect(fileBytes);
    byte[] raw =
        ModuleCompression.decompress(
            b.compression, fileBytes, ModuleCompression.decompressionLimit());
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
    return b;
  }

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
        if (!KernelModule.LOADER_SYMBOLS.contains(name)) {
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
              e.getKey(), crc == null ? OptionalLong.empty() : OptionalLong.of(crc), e.getValue()));
    }
    for (Map.Entry<String, Long> e : crcs.entrySet()) {
      exports.putIfAbsent(e.getKey(), new Export(e.getKey(), OptionalLong.of(e.getValue()), false));
    }
  }

  /** ppc64 ELFv1 function descriptors: the loader strips one leading dot. */
  String symbolName(String name) {
    return elf.machine() == EM_PPC64 && name.startsWith(".") ? name.substring(1) : name;
  }
}
