package dev.jdkms.core.kabi;

/** The leading {@code major.minor} of a kernel release string such as {@code 6.1.0-56-amd64}. */
final class KernelRelease {
  private KernelRelease() {}

  /** True when the release parses and is older than {@code major.minor}; false otherwise. */
  static boolean before(String release, int major, int minor) {
    int[] v = parse(release);
    return v != null && (v[0] < major || (v[0] == major && v[1] < minor));
  }

  /** {major, minor}, or null when the release does not start with digits.digits. */
  static int[] parse(String release) {
    int i = 0;
    int[] out = new int[2];
    for (int part = 0; part < 2; part++) {
      int start = i;
      long v = 0;
      while (i < release.length() && Character.isDigit(release.charAt(i)) && i - start < 6) {
        v = v * 10 + (release.charAt(i++) - '0');
      }
      if (i == start) {
        return null;
      }
      out[part] = (int) v;
      if (part == 0) {
        if (i >= release.length() || release.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return out;
  }
}
