package dev.jdkms.core.build;

import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.exec.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Environment files that set up a build: framework.conf's {@code build_environment} (e.g. a
 * gcc-toolset {@code enable} script, sourced, its exported variables imported) and a kernel's
 * {@code .kernelvariables} (its CC).
 */
final class BuildEnvironmentFile {
  private BuildEnvironmentFile() {}

  /** The environment after sourcing {@code file} in bash, as {@code env -0} prints it. */
  static Map<String, String> exportsOf(Path file, ChildEnvironment env) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash", "-c", "source \"$1\" >/dev/null 2>&1; env -0", "jdkms-env", file.toString());
    env.applyTo(pb);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    CommandRunner.waitFor(p);
    Map<String, String> m = new HashMap<>();
    for (String kv : new String(out, StandardCharsets.UTF_8).split("\0")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }

  /** CC as make evaluates it from {@code .kernelvariables}. */
  static Map<String, String> kernelVariablesCc(Path file) throws IOException {
    String makefile = "show-%:\n\t@echo $($*)\ninclude " + file + "\n";
    ProcessBuilder pb = new ProcessBuilder("make", "-f", "-", "show-CC");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    p.getOutputStream().write(makefile.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String cc = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    CommandRunner.waitFor(p);
    Map<String, String> m = new HashMap<>();
    m.put("CC", cc);
    return m;
  }
}
