package dev.jdkms.core.kabi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    byte[] raw = Files.readAllBytes(file);
    try {
      return parse(Compression.detect(raw).decompress(raw));
    } catch (ModuleFormatException e) {
      throw new ModuleFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the (uncompressed) text. */
  public static SymbolVersions parse(byte[] text) {
    return parse(new String(text, StandardCharsets.ISO_8859_1));
  }

  public static SymbolVersions parse(String text) {
    Map<String, Export> map = new HashMap<>(Math.max(16, text.length() / 40));
    int bad = 0;
    int pos = 0;
    int n = text.length();
    String[] f = new String[6];
    while (pos < n) {
      int eol = text.indexOf('\n', pos);
      if (eol < 0) {
        eol = n;
      }
      int fields = 0;
      int start = pos;
      for (int i = pos; i <= eol && fields < f.length; i++) {
        if (i == eol || text.charAt(i) == '\t') {
          f[fields++] = text.substring(start, i);
          start = i + 1;
        }
      }
      pos = eol + 1;
      if (fields == 1 && f[0].isBlank()) {
        continue;
      }
      Export e = line(f, fields);
      if (e == null) {
        bad++;
      } else {
        map.put(e.symbol(), e);
      }
    }
    return new SymbolVersions(map, bad);
  }

  private static Export line(String[] f, int fields) {
    if (fields < 3 || fields > 5) {
      return null;
    }
    long crc = crc(f[0]);
    if (crc < 0 || f[1].isEmpty()) {
      return null;
    }
    if (fields == 3) {
      return new Export(f[1], crc, f[2], Optional.empty(), "");
    }
    if (EXPORT.matcher(f[3]).matches()) {
      return new Export(f[1], crc, f[2], Optional.of(f[3]), fields == 5 ? f[4].strip() : "");
    }
    if (fields == 5 && EXPORT.matcher(f[4]).matches()) {
      return new Export(f[1], crc, f[3], Optional.of(f[4]), f[2].strip());
    }
    return null;
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
