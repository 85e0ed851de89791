package dev.jdkms.core.kernel;

import java.util.Comparator;

/**
 * upstream's {@code VER()}: every run of digits is zero-padded to three digits and separators are
 * kept, so that plain string comparison orders kernel and module versions. Used for MIN/MAX,
 * OBSOLETE_BY and "latest version" decisions, where upstream's exact ordering is part of the API.
 */
public final class VersionOrder {
  /** Orders two version strings as upstream's {@code [[ $(VER a) < $(VER b) ]]} does. */
  public static final Comparator<String> COMPARATOR =
      Comparator.comparing(VersionOrder::padded, VersionOrder::compareBytes);

  private VersionOrder() {}

  /** The padded form of {@code version}, as {@code VER()} prints it. */
  public static String padded(String version) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = version.length();
    while (i < n) {
      char c = version.charAt(i);
      if (isDigit(c)) {
        int j = i;
        while (j < n && isDigit(version.charAt(j))) {
          j++;
        }
        String digits = version.substring(i, j);
        // VER pads only runs shorter than three digits; longer runs stay as they are.
        for (int k = digits.length(); k < 3; k++) {
          out.append('0');
        }
        out.append(digits);
        i = j;
      } else {
        if (c != ' ') {
          out.append(c);
        }
        i++;
      }
    }
    return out.toString();
  }

  /** {@code a < b} in upstream's sense. */
  public static boolean less(String a, String b) {
    return compareBytes(padded(a), padded(b)) < 0;
  }

  /** {@code a > b} in upstream's sense. */
  public static boolean greater(String a, String b) {
    return compareBytes(padded(a), padded(b)) > 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** bash's {@code <} in {@code [[ ]]} compares with the locale; the hooks run in C locale. */
  static int compareBytes(String a, String b) {
    return a.compareTo(b);
  }
}
