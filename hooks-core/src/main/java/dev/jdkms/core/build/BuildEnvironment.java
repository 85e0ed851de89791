package dev.jdkms.core.build;

import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.kernel.KernelConfig;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a build's children get: the session's, plus what upstream exports for a build.
 */
final class BuildEnvironment {
  private final Session session;

  BuildEnvironment(Session session) {
    this.session = session;
  }

  /**
   * CC/KERNEL_CC (and LD) as upstream exports them for the kernel's compiler, plus
   * build_environment.
   */
  ChildEnvironment forKernel(String kernel) throws IOException {
    Map<String, String> extra = new HashMap<>(session.state().buildExports);
    Path ksd = session.kernelSourceDir(kernel);
    extra.put("CC", null);
    Optional<KernelConfig> kc = KernelConfig.read(session.kernelConfig(kernel));
    if (kc.isPresent()) {
      Optional<String> cc = kc.get().compiler();
      if (cc.isPresent() && onPath(cc.get())) {
        extra.put("CC", cc.get());
        extra.put("KERNEL_CC", cc.get());
      }
      if (kc.get().contains("CONFIG_CC_IS_CLANG=y") && onPath("clang")) {
        extra.put("CC", "clang");
        extra.put("KERNEL_CC", "clang");
      }
      if (kc.get().contains("CONFIG_LD_IS_LLD=y") && onPath("ld.lld")) {
        extra.put("LD", "ld.lld");
        extra.put("KERNEL_LD", "ld.lld");
      }
    }
    if (Files.isRegularFile(ksd.resolve(".kernelvariables"))) {
      extra.putAll(BuildEnvironmentFile.kernelVariablesCc(ksd.resolve(".kernelvariables")));
    }
    String be = session.setting("build_environment");
    if (!be.isEmpty() && Files.isRegularFile(Path.of(be))) {
      extra.putAll(BuildEnvironmentFile.exportsOf(Path.of(be), session.environment()));
    }
    return session.environment().with(extra);
  }

  private boolean onPath(String cmd) {
    if (cmd.contains("/")) {
      return Files.isExecutable(Path.of(cmd));
    }
    String path = session.environment().get("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, cmd))) {
        return true;
      }
    }
    return false;
  }
}
