package dev.jdkms.core.install;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code /usr/share/dkms/modules_to_force_install/*}: modules a distribution always forces. */
final class ForcedModules {
  private ForcedModules() {}

  /** "force", "version-override" or "", from the lists in {@code dir}. */
  static String lookup(Path dir, String module) throws IOException {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          all.append(' ').append(Files.readString(p));
        }
      }
    }
    for (String e : all.toString().trim().split("\\s+")) {
      if (e.equals(module)) {
        return "force";
      }
      if (e.equals(module + "_version-override")) {
        return "version-override";
      }
    }
    return "";
  }
}
