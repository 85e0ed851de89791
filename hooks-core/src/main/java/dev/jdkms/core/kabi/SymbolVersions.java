package dev.jdkms.core.kabi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code Module.symvers} (or {@code symvers-K.gz}/{@code .xz}/{@code .zst}): every exported
 * symbol with its CRC, exporting module, export type and namespace. Accepts every format modpost
 * has written:
 *
 * <ul>
 *   <li>3 fields {@code crc sym module} (very old, no export type: GPL status unknown);
 *   <li>4 fields {@code crc sym module export} (up to 5.3);
 *   <li>5 fields {@code crc sym namespace module export} (5.4.0–5.4.27, 5.5, 5.6-rc1..rc6);
 *   <li>5 fields {@code crc sym module export namespace} (5.4.28+, 5.6+).
 * </ul>
 *
 * Lines that fit none are counted in {@link #malformedLines()} and otherwise ignored, as modpost
 * ignores what it cannot use. Immutable.
 */
public final class SymbolVersions {
  private static final Pattern EXPORT =
      Pattern.compile("EXPORT_(UNUSED_)?SYMBOL(_GPL(_FUTURE)?)?(_FOR_MODULES)?");

  /**
   * One exported symbol.
   *
   * @param crc the CRC (0 when the kernel has no MODVERSIONS)
   * @param module {@code vmlinux} or the exporting module's build path without {@code .ko}
   * @param exportType e.g. {@code EXPORT_SYMBOL_GPL}; empty for the 3-field format
   * @param namespace "" when none
   */
  public record Export(
      String symbol, long crc, String module, Optional<String> exportType, String namespace) {
    /** GPL-only, or empty when the file does not say. */
    public Optional<Boolean> gplOnly() {
      return exportType.map(t -> t.contains("_GPL") && !t.contains("_GPL_FUTURE"));
    }

    public boolean fromVmlinux() {
      return module.equals("vmlinux");
    }

    /** The exporting module's name as the kernel knows it (last path part, '-' as '_'). */
    public String moduleName() {
      return module.substring(module.lastIndexOf('/') + 1).replace('-', '_');
    }
  }

  private final Map<String, Export> exports;
  private final int malformedLines;
  private final boolean allCrcsZero;

  private SymbolVersions(Map<String, Export> exports, int malformedLines) {
    this.exports = Collections.unmodifiableMap(exports);
    this.malformedLines = malformedLines;
    boolean zero = true;
    for (Export e : exports.values()) {
      if (e.crc() != 0) {
        zero = false;
        break;
      }
    }
    this.allCrcsZero = zero;
  }

  /**
   * Reads a symvers file, decompressing {@code .gz}/{@code .xz}/{@code .zst} (by magic).
   *
   * @throws ModuleFormatException if the compressed stream is corrupt
   */
  public static SymbolVersions read(Path file) throws IOException, ModuleFormatException {
    byte[] raw = ModuleCompression.readFile(file);
    try {
      return parse(ModuleCompression.decompress(raw));
    } catch (ModuleFormatException e) {
      throw new ModuleFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the (uncompressed) text. */
  public static SymbolVersions parse(byte[] text) {
    return parse(new String(text, StandardCharsets.ISO_8859_1));
  }

  public static SymbolVersions parse(String text) {
    Map<String, Export> map = new HashMap<>(Math.max(16, text.length() / 30));
    Map<String, String> modules = new HashMap<>();
    Map<String, String> namespaces = new HashMap<>();
    int bad = 0;
    int pos = 0;
    int n = text.length();
    int[] tabs = new int[6];
    while (pos < n) {
      int eol = text.indexOf('\n', pos);
      if (eol < 0) {
        eol = n;
      }
      int end = eol > pos && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
      int fields = 1;
      tabs[0] = pos - 1;
      for (int i = pos; i < end && fields < tabs.length; i++) {
        if (text.charAt(i) == '\t') {
          tabs[fields++] = i;
        }
      }
      int start = pos;
      pos = eol + 1;
      if (fields == 1 && text.substring(start, end).isBlank()) {
        continue;
      }
      Export e =
          fields >= 3 && fields <= 5 ? line(text, tabs, fields, end, modules, namespaces) : null;
      if (e == null) {
        bad++;
      } else {
        map.put(e.symbol(), e);
      }
    }
    return new SymbolVersions(map, bad);
  }

  /** Field {@code i} of a line whose tab positions are {@code tabs} ({@code tabs[0]} = start-1). */
  private static String field(String text, int[] tabs, int fields, int end, int i) {
    return text.substring(tabs[i] + 1, i + 1 < fields ? tabs[i + 1] : end);
  }

  private static Export line(
      String text,
      int[] tabs,
      int fields,
      int end,
      Map<String, String> modules,
      Map<String, String> namespaces) {
    long crc = crc(field(text, tabs, fields, end, 0));
    String symbol = field(text, tabs, fields, end, 1);
    if (crc < 0 || symbol.isEmpty()) {
      return null;
    }
    String f2 = field(text, tabs, fields, end, 2);
    if (fields == 3) {
      return new Export(symbol, crc, intern(modules, f2), Optional.empty(), "");
    }
    String f3 = field(text, tabs, fields, end, 3);
    String f4 = fields == 5 ? field(text, tabs, fields, end, 4) : "";
    if (isExport(f3)) {
      return new Export(
          symbol, crc, intern(modules, f2), exportType(f3), intern(namespaces, f4.strip()));
    }
    if (fields == 5 && isExport(f4)) {
      return new Export(
          symbol, crc, intern(modules, f3), exportType(f4), intern(namespaces, f2.strip()));
    }
    return null;
  }

  private static final Map<String, Optional<String>> EXPORT_TYPES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Optional<String> exportType(String s) {
    return EXPORT_TYPES.computeIfAbsent(s, Optional::of);
  }

  private static boolean isExport(String s) {
    return s.startsWith("EXPORT_") && (EXPORT_TYPES.containsKey(s) || EXPORT.matcher(s).matches());
  }

  private static String intern(Map<String, String> pool, String s) {
    String old = pool.putIfAbsent(s, s);
    return old == null ? s : old;
  }

  /** {@code 0x...} → unsigned 32-bit value, -1 if malformed. */
  private static long crc(String s) {
    String h = s.strip();
    if (h.startsWith("0x") || h.startsWith("0X")) {
      h = h.substring(2);
    }
    if (h.isEmpty() || h.length() > 16) {
      return -1;
    }
    try {
      return Long.parseUnsignedLong(h, 16) & 0xffffffffL;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A new table with these entries (tests, fabricated kernels). */
  public static SymbolVersions of(Collection<Export> exports) {
    Map<String, Export> map = new HashMap<>();
    for (Export e : exports) {
      map.put(e.symbol(), e);
    }
    return new SymbolVersions(map, 0);
  }

  public Optional<Export> get(String symbol) {
    return Optional.ofNullable(exports.get(symbol));
  }

  public Map<String, Export> asMap() {
    return exports;
  }

  public int size() {
    return exports.size();
  }

  /** Lines that matched no known format. */
  public int malformedLines() {
    return malformedLines;
  }

  /** True when every CRC is 0: the kernel was built without MODVERSIONS. */
  public boolean allCrcsZero() {
    return allCrcsZero;
  }

  /** Exports grouped by exporting module name ({@code vmlinux} for the kernel itself). */
  public Map<String, List<Export>> byModule() {
    Map<String, List<Export>> out = new HashMap<>();
    for (Export e : exports.values()) {
      out.computeIfAbsent(e.moduleName(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }
}
