package dev.jdkms.core.kabi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small synthetic module files: ELF32 or ELF64, either byte order, with the sections a
 * kernel module has. Used where no compiler can produce the variant (ELF32, big-endian, the 6.14+
 * extended version tables) and as a seed for mutation tests.
 */
final class TestElf {
  boolean is64 = true;
  boolean bigEndian = false;
  int machine = 62;
  int type = 1;
  final List<String> modinfo = new ArrayList<>();
  Map<String, Long> versions = new LinkedHashMap<>();
  Map<String, Long> extVersions;
  final List<String> imports = new ArrayList<>();
  final List<String> weakImports = new ArrayList<>();
  final Map<String, Long> exports = new LinkedHashMap<>();
  final Map<String, Long> gplExports = new LinkedHashMap<>();
  long thisModuleSize = 896;

  TestElf modinfo(String... kv) {
    modinfo.addAll(List.of(kv));
    return this;
  }

  private record Sec(String name, int type, byte[] data, int link, int info, int entsize) {}

  byte[] build() {
    ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    List<Sec> secs = new ArrayList<>();
    secs.add(new Sec("", 0, new byte[0], 0, 0, 0));
    secs.add(new Sec(".modinfo", 1, strings(modinfo, true), 0, 0, 0));
    if (versions != null) {
      ByteBuffer v = ByteBuffer.allocate(64 * versions.size()).order(order);
      int i = 0;
      for (Map.Entry<String, Long> e : versions.entrySet()) {
        if (is64) {
          v.putLong(i * 64, e.getValue());
        } else {
          v.putInt(i * 64, (int) (long) e.getValue());
        }
        byte[] n = e.getKey().getBytes(StandardCharsets.US_ASCII);
        v.put(i * 64 + (is64 ? 8 : 4), n, 0, Math.min(n.length, is64 ? 55 : 59));
        i++;
      }
      secs.add(new Sec("__versions", 1, v.array(), 0, 0, 0));
    }
    if (extVersions != null) {
      ByteBuffer c = ByteBuffer.allocate(4 * extVersions.size()).order(order);
      for (long crc : extVersions.values()) {
        c.putInt((int) crc);
      }
      secs.add(new Sec("__version_ext_crcs", 1, c.array(), 0, 0, 0));
      secs.add(
          new Sec(
              "__version_ext_names",
              1,
              strings(new ArrayList<>(extVersions.keySet()), false),
              0,
              0,
              0));
    }
    secs.add(new Sec(".gnu.linkonce.this_module", 1, new byte[(int) thisModuleSize], 0, 0, 0));
    Map<String, Long> allExports = new LinkedHashMap<>(exports);
    allExports.putAll(gplExports);
    ByteBuffer crcs = ByteBuffer.allocate(4 * allExports.size()).order(order);
    for (long crc : allExports.values()) {
      crcs.putInt((int) crc);
    }
    int kcrctab = secs.size();
    secs.add(new Sec("__kcrctab", 1, crcs.array(), 0, 0, 0));
    int ksymtab = secs.size();
    secs.add(new Sec("__ksymtab", 1, new byte[12 * Math.max(1, exports.size())], 0, 0, 0));
    int ksymtabGpl = secs.size();
    secs.add(new Sec("__ksymtab_gpl", 1, new byte[12 * Math.max(1, gplExports.size())], 0, 0, 0));
    // .symtab: null symbol, imports, exports (__ksymtab_X + __crc_X)
    ByteArrayOutputStream strtab = new ByteArrayOutputStream();
    strtab.write(0);
    int symSize = is64 ? 24 : 16;
    List<byte[]> syms = new ArrayList<>();
    syms.add(new byte[symSize]);
    for (String s : imports) {
      syms.add(sym(order, name(strtab, s), 0x10, 0, 0));
    }
    for (String s : weakImports) {
      syms.add(sym(order, name(strtab, s), 0x20, 0, 0));
    }
    int i = 0;
    for (String s : allExports.keySet()) {
      boolean gpl = gplExports.containsKey(s);
      syms.add(sym(order, name(strtab, "__ksymtab_" + s), 0x10, gpl ? ksymtabGpl : ksymtab, 0));
      syms.add(sym(order, name(strtab, "__crc_" + s), 0x10, kcrctab, i * 4L));
      i++;
    }
    int symtabIndex = secs.size();
    secs.add(new Sec(".symtab", 2, concat(syms), symtabIndex + 1, 1, symSize));
    secs.add(new Sec(".strtab", 3, strtab.toByteArray(), 0, 0, 0));
    ByteArrayOutputStream shstr = new ByteArrayOutputStream();
    shstr.write(0);
    int[] nameOff = new int[secs.size() + 1];
    for (int j = 1; j < secs.size(); j++) {
      nameOff[j] = name(shstr, secs.get(j).name());
    }
    int shstrName = name(shstr, ".shstrtab");
    secs.add(new Sec(".shstrtab", 3, shstr.toByteArray(), 0, 0, 0));

    int ehsize = is64 ? 64 : 52;
    int shentsize = is64 ? 64 : 40;
    int off = ehsize;
    int[] offsets = new int[secs.size()];
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int j = 1; j < secs.size(); j++) {
      while ((off + body.size()) % 8 != 0) {
        body.write(0);
      }
      offsets[j] = off + body.size();
      body.writeBytes(secs.get(j).data());
    }
    while ((off + body.size()) % 8 != 0) {
      body.write(0);
    }
    int shoff = off + body.size();
    ByteBuffer out = ByteBuffer.allocate(shoff + shentsize * secs.size()).order(order);
    out.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (bigEndian ? 2 : 1), 1});
    out.putShort(16, (short) type);
    out.putShort(18, (short) machine);
    out.putInt(20, 1);
    if (is64) {
      out.putLong(40, shoff);
      out.putShort(52, (short) ehsize);
      out.putShort(58, (short) shentsize);
      out.putShort(60, (short) secs.size());
      out.putShort(62, (short) (secs.size() - 1));
    } else {
      out.putInt(32, shoff);
      out.putShort(40, (short) ehsize);
      out.putShort(46, (short) shentsize);
      out.putShort(48, (short) secs.size());
      out.putShort(50, (short) (secs.size() - 1));
    }
    out.put(ehsize, body.toByteArray());
    for (int j = 1; j < secs.size(); j++) {
      Sec s = secs.get(j);
      int o = shoff + j * shentsize;
      out.putInt(o, j == secs.size() - 1 ? shstrName : nameOff[j]);
      out.putInt(o + 4, s.type());
      if (is64) {
        out.putLong(o + 8, 2);
        out.putLong(o + 24, offsets[j]);
        out.putLong(o + 32, s.data().length);
        out.putInt(o + 40, s.link());
        out.putInt(o + 44, s.info());
        out.putLong(o + 48, 8);
        out.putLong(o + 56, s.entsize());
      } else {
        out.putInt(o + 8, 2);
        out.putInt(o + 16, offsets[j]);
        out.putInt(o + 20, s.data().length);
        out.putInt(o + 24, s.link());
        out.putInt(o + 28, s.info());
        out.putInt(o + 32, 8);
        out.putInt(o + 36, s.entsize());
      }
    }
    return out.array();
  }

  private byte[] sym(ByteOrder order, int name, int info, int shndx, long value) {
    ByteBuffer b = ByteBuffer.allocate(is64 ? 24 : 16).order(order);
    b.putInt(0, name);
    if (is64) {
      b.put(4, (byte) info);
      b.putShort(6, (short) shndx);
      b.putLong(8, value);
    } else {
      b.putInt(4, (int) value);
      b.put(12, (byte) info);
      b.putShort(14, (short) shndx);
    }
    return b.array();
  }

  private static int name(ByteArrayOutputStream table, String s) {
    int off = table.size();
    table.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    table.write(0);
    return off;
  }

  private static byte[] strings(List<String> list, boolean padded) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String s : list) {
      b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      b.write(0);
      if (padded) {
        b.write(0); // padding runs between strings, as the kernel tolerates
      }
    }
    return b.toByteArray();
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    parts.forEach(b::writeBytes);
    return b.toByteArray();
  }
}
