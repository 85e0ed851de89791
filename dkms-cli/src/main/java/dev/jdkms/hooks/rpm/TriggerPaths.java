package dev.jdkms.hooks.rpm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paths of a trigger's stdin that the engine maps to events. Fedora's headers (kernel-devel)
 * live in /usr/src/kernels/K, which /usr/lib/modules/K/build links to: their Makefile is passed as
 * the build directory's. Directories are listed too; only these are kept.
 */
final class TriggerPaths {
  private TriggerPaths() {}

  private static final Pattern RELEVANT =
      Pattern.compile(
          "^/?(usr/)?lib/modules/[^/]+/(vmlinuz|modules\\.order|build/Makefile|build/include/?)$"
              + "|^/?usr/src/[^/]+/dkms\\.conf$");
  private static final Pattern KERNEL_DEVEL =
      Pattern.compile("^/?usr/src/kernels/([^/]+)/Makefile$");

  static List<String> relevant(List<String> paths) {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      Matcher devel = KERNEL_DEVEL.matcher(p);
      if (devel.matches()) {
        out.add("/usr/lib/modules/" + devel.group(1) + "/build/Makefile");
      } else if (RELEVANT.matcher(p).matches()) {
        out.add(p);
      }
    }
    return out;
  }
}
