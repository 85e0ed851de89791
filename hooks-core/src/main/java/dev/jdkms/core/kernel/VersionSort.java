package dev.jdkms.core.kernel;

import java.util.Comparator;

/**
 * GNU {@code sort -V} (coreutils' filevercmp, the Debian version algorithm): runs of digits compare
 * numerically, other runs character by character with letters before other characters and {@code ~}
 * before everything. Upstream uses it where it pipes status lines through {@code sort -V}.
 */
public final class VersionSort {
  public static final Comparator<String> COMPARATOR = VersionSort::compare;

  private VersionSort() {}

  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      int firstDiff = 0;
      while ((i < a.length() && !isDigit(a.charAt(i)))
          || (j < b.length() && !isDigit(b.charAt(j)))) {
        int ac = i < a.length() && !isDigit(a.charAt(i)) ? order(a.charAt(i)) : 0;
        int bc = j < b.length() && !isDigit(b.charAt(j)) ? order(b.charAt(j)) : 0;
        if (ac != bc) {
          return ac - bc;
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (i < a.length() && isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return firstDiff;
      }
    }
    return 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** dpkg's order: ~ first, then the end of a part, letters, then everything else. */
  private static int order(char c) {
    if (isDigit(c)) {
      return 0;
    }
    if (Character.isLetter(c)) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }
}
