package dev.jdkms.core.install;

import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.kernel.VersionOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The version facts upstream reads from {@code modinfo}: version and srcversion (or checksum). */
public record ModInfo(String version, String srcversion) {

  public static ModInfo of(Path module) throws IOException {
    Process p = new ProcessBuilder("modinfo", module.toString()).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.getErrorStream().readAllBytes();
    CommandRunner.waitFor(p);
    String ver = "";
    String checksum = "";
    String src = "";
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 0) {
        continue;
      }
      if (f[0].equals("version:")) {
        ver = f.length > 1 ? f[1] : "";
        checksum = f.length > 2 ? f[2] : "";
      } else if (f[0].equals("srcversion:")) {
        src = f.length > 1 ? f[1] : "";
      }
    }
    return new ModInfo(ver, src.isEmpty() ? checksum : src);
  }

  /** upstream's compare_module_version: "==", "=", ">", "<". */
  public static String compare(ModInfo a, ModInfo b) {
    if (a.version.equals(b.version)) {
      return a.srcversion.equals(b.srcversion) ? "==" : "=";
    }
    return VersionOrder.greater(a.version, b.version) ? ">" : "<";
  }
}
