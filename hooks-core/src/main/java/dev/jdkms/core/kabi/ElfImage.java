package dev.jdkms.core.kabi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A relocatable ELF file (a kernel module) in memory: header, section headers and the symbol table.
 * ELF32 and ELF64, either byte order. Every offset and size is checked against the file before it
 * is used, so a truncated or crafted file ends in {@link ModuleFormatException}, never in an index
 * error. Modules are {@code ET_REL}: sections are located by {@code sh_offset}, never by address.
 */
final class ElfImage {
  static final int SHT_NOBITS = 8;
  static final int SHT_SYMTAB = 2;
  static final int SHT_SYMTAB_SHNDX = 18;
  static final int SHN_UNDEF = 0;
  static final int SHN_LORESERVE = 0xff00;
  static final int SHN_ABS = 0xfff1;
  static final int SHN_XINDEX = 0xffff;
  static final int STB_WEAK = 2;

  /** One section header. */
  record Section(
      int index,
      String name,
      int type,
      long flags,
      long offset,
      long size,
      int link,
      long entsize) {}

  /** One {@code .symtab} entry; {@code shndx} already resolved through SHT_SYMTAB_SHNDX. */
  record Symbol(String name, int bind, int type, int shndx, long value, long size) {}

  private final byte[] data;
  private final ByteBuffer buf;
  private final boolean is64;
  private final int type;
  private final int machine;
  private final List<Section> sections;

  private ElfImage(byte[] data, ByteBuffer buf, boolean is64, int type, int machine) {
    this.data = data;
    this.buf = buf;
    this.is64 = is64;
    this.type = type;
    this.machine = machine;
    this.sections = new ArrayList<>();
  }

  static ElfImage parse(byte[] data) throws ModuleFormatException {
    if (data.length < 16 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
      throw new ModuleFormatException("not an ELF file (no \\x7fELF magic)");
    }
    boolean is64;
    switch (data[4]) {
      case 1 -> is64 = false;
      case 2 -> is64 = true;
      default -> throw new ModuleFormatException("unknown ELF class " + data[4]);
    }
    ByteOrder order;
    switch (data[5]) {
      case 1 -> order = ByteOrder.LITTLE_ENDIAN;
      case 2 -> order = ByteOrder.BIG_ENDIAN;
      default -> throw new ModuleFormatException("unknown ELF data encoding " + data[5]);
    }
    int ehsize = is64 ? 64 : 52;
    if (data.length < ehsize) {
      throw new ModuleFormatException("truncated ELF header (" + data.length + " bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(data).order(order);
    ElfImage elf =
        new ElfImage(
            data, buf, is64, Short.toUnsignedInt(buf.getShort(16)), buf.getShort(18) & 0xffff);
    elf.readSections();
    return elf;
  }

  private void readSections() throws ModuleFormatException {
    long shoff = is64 ? buf.getLong(40) : Integer.toUnsignedLong(buf.getInt(32));
    int shentsize = u16(is64 ? 58 : 46);
    long shnum = u16(is64 ? 60 : 48);
    int shstrndx = u16(is64 ? 62 : 50);
    int minEntry = is64 ? 64 : 40;
    if (shoff == 0) {
      throw new ModuleFormatException("no section header table (e_shoff is 0)");
    }
    if (shentsize < minEntry) {
      throw new ModuleFormatException("e_shentsize " + shentsize + " is smaller than " + minEntry);
    }
    checkRange(shoff, shentsize, "section header 0");
    if (shnum == 0) {
      shnum = is64 ? buf.getLong((int) shoff + 32) : u32((int) shoff + 20);
    }
    if (shstrndx == SHN_XINDEX) {
      shstrndx = buf.getInt((int) shoff + (is64 ? 40 : 24));
    }
    if (shnum <= 0 || shnum > (data.length - shoff) / shentsize) {
      throw new ModuleFormatException(
          "section header table (" + shnum + " entries at offset " + shoff + ") exceeds the file");
    }
    int n = (int) shnum;
    long[][] raw = new long[n][];
    for (int i = 0; i < n; i++) {
      int o = (int) (shoff + (long) i * shentsize);
      raw[i] =
          is64
              ? new long[] {
                u32(o),
                u32(o + 4),
                buf.getLong(o + 8),
                buf.getLong(o + 24),
                buf.getLong(o + 32),
                u32(o + 40),
                buf.getLong(o + 56)
              }
              : new long[] {
                u32(o), u32(o + 4), u32(o + 8), u32(o + 16), u32(o + 20), u32(o + 24), u32(o + 36)
              };
    }
    if (shstrndx < 0 || shstrndx >= n) {
      throw new ModuleFormatException("e_shstrndx " + shstrndx + " is not a section");
    }
    long[] strtab = raw[shstrndx];
    checkSection(strtab, shstrndx, "section name table");
    for (int i = 0; i < n; i++) {
      long[] r = raw[i];
      String name = i == 0 ? "" : string(strtab[3], strtab[4], r[0], "section name of #" + i);
      Section s = new Section(i, name, (int) r[1], r[2], r[3], r[4], (int) r[5], r[6]);
      if (s.type() != SHT_NOBITS && i != 0) {
        checkSection(r, i, "section " + name);
      }
      sections.add(s);
    }
  }

  private void checkSection(long[] r, int index, String what) throws ModuleFormatException {
    if (r[4] < 0 || r[3] < 0 || r[3] > data.length || r[4] > data.length - r[3]) {
      throw new ModuleFormatException(
          what + " (#" + index + ", offset " + r[3] + ", size " + r[4] + ") exceeds the file");
    }
  }

  private void checkRange(long offset, long size, String what) throws ModuleFormatException {
    if (offset < 0 || size < 0 || offset > data.length || size > data.length - offset) {
      throw new ModuleFormatException(what + " (offset " + offset + ") exceeds the file");
    }
  }

  boolean is64() {
    return is64;
  }

  boolean bigEndian() {
    return buf.order() == ByteOrder.BIG_ENDIAN;
  }

  int type() {
    return type;
  }

  int machine() {
    return machine;
  }

  ByteOrder order() {
    return buf.order();
  }

  List<Section> sections() {
    return Collections.unmodifiableList(sections);
  }

  Optional<Section> section(String name) {
    for (Section s : sections) {
      if (s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  Section section(int index) throws ModuleFormatException {
    if (index < 0 || index >= sections.size()) {
      throw new ModuleFormatException("section index " + index + " out of range");
    }
    return sections.get(index);
  }

  /** A section's bytes as a buffer in the file's byte order ({@code SHT_NOBITS}: empty). */
  ByteBuffer contents(Section s) {
    if (s.type() == SHT_NOBITS) {
      return ByteBuffer.allocate(0).order(buf.order());
    }
    return ByteBuffer.wrap(data, (int) s.offset(), (int) s.size()).slice().order(buf.order());
  }

  /**
   * The u32 at {@code value} inside section {@code shndx}: how kmod reads a {@code __crc_*} symbol
   * defined in a section. Empty if it lies outside the section.
   */
  Optional<Long> u32In(int shndx, long value) {
    if (shndx <= 0 || shndx >= sections.size()) {
      return Optional.empty();
    }
    Section s = sections.get(shndx);
    if (s.type() == SHT_NOBITS || value < 0 || value > s.size() - 4) {
      return Optional.empty();
    }
    return Optional.of(u32((int) (s.offset() + value)));
  }

  /** The symbol table ({@code SHT_SYMTAB}); empty when the module has none (stripped). */
  List<Symbol> symbols() throws ModuleFormatException {
    Section symtab = null;
    for (Section s : sections) {
      if (s.type() == SHT_SYMTAB) {
        symtab = s;
        break;
      }
    }
    if (symtab == null) {
      return List.of();
    }
    int entsize = is64 ? 24 : 16;
    if (symtab.entsize() != 0 && symtab.entsize() < entsize) {
      throw new ModuleFormatException("symbol table entry size " + symtab.entsize() + " too small");
    }
    int step = symtab.entsize() == 0 ? entsize : (int) Math.min(symtab.entsize(), 1 << 16);
    Section strtab = section(symtab.link());
    if (strtab.type() == SHT_NOBITS) {
      throw new ModuleFormatException("symbol string table has no contents");
    }
    ByteBuffer xindex = null;
    for (Section s : sections) {
      if (s.type() == SHT_SYMTAB_SHNDX && s.link() == symtab.index()) {
        xindex = contents(s);
      }
    }
    long count = symtab.size() / step;
    List<Symbol> out = new ArrayList<>((int) Math.min(count, 1 << 20));
    for (int i = 0; i < count; i++) {
      int o = (int) (symtab.offset() + (long) i * step);
      long nameOff = u32(o);
      int info;
      int shndx;
      long value;
      long size;
      if (is64) {
        info = data[o + 4] & 0xff;
        shndx = u16(o + 6);
        value = buf.getLong(o + 8);
        size = buf.getLong(o + 16);
      } else {
        value = u32(o + 4);
        size = u32(o + 8);
        info = data[o + 12] & 0xff;
        shndx = u16(o + 14);
      }
      if (shndx == SHN_XINDEX && xindex != null && xindex.limit() >= (i + 1) * 4) {
        shndx = xindex.getInt(i * 4);
      }
      String name = string(strtab.offset(), strtab.size(), nameOff, "symbol name #" + i);
      out.add(new Symbol(name, info >>> 4, info & 0xf, shndx, value, size));
    }
    return out;
  }

  /** The NUL-terminated string at {@code off} within the table at {@code tableOff}. */
  String string(long tableOff, long tableSize, long off, String what) throws ModuleFormatException {
    if (off < 0 || off >= tableSize) {
      if (off == 0 && tableSize == 0) {
        return "";
      }
      throw new ModuleFormatException(what + " lies outside its string table");
    }
    int start = (int) (tableOff + off);
    int end = (int) (tableOff + tableSize);
    int i = start;
    while (i < end && data[i] != 0) {
      i++;
    }
    return new String(data, start, i - start, StandardCharsets.ISO_8859_1);
  }

  private int u16(int off) {
    return Short.toUnsignedInt(buf.getShort(off));
  }

  private long u32(int off) {
    return Integer.toUnsignedLong(buf.getInt(off));
  }
}
