package dev.jdkms.core.install;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code /usr/share/dkms/modules_to_force_install/*}: modules a distribution always forces. */
final class ForcedModules {
  private static final Path DIR = Path.of("/usr/share/dkms/modules_to_force_install");

  private ForcedModules() {}

  /** "force", "version-override" or "". */
  static String lookup(String module) throws IOException {
    if (!Files.isDirectory(DIR)) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(DIR)) {
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
