package dev.jdkms.core.build;

import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.sign.ModuleSigner;
import dev.jdkms.core.sign.SigningException;
import dev.jdkms.core.sign.SigningPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps after make for each built .ko, in upstream's order: strip, sign (before compression, or
 * the kernel could not verify it), compress to match the kernel, copy into the new built dir.
 */
final class ModuleFinisher {
  private final Session session;
  private final ChildEnvironment env;
  private final SigningPlan signing;
  private final String suffix;
  private final BuildArea area;

  /** {@code area}: where the modules were built, to name them as the build's children see them. */
  ModuleFinisher(
      Session session, ChildEnvironment env, SigningPlan signing, String suffix, BuildArea area) {
    this.session = session;
    this.env = env;
    this.signing = signing == null ? SigningPlan.disabled() : signing;
    this.suffix = suffix;
    this.area = area;
  }

  void finish(Path built, ModuleRecord m, Path tmpBase) throws IOException {
    if (!Files.isRegularFile(built)) {
      session.console().warn(area.shown(built) + " has disappeared");
      return;
    }
    if (m.strip()) {
      run(List.of("clang".equals(env.get("CC")) ? "llvm-strip" : "strip", "-g", built.toString()));
    }
    if (signing.enabled()) {
      session.console().println("Signing module " + area.shown(built));
      sign(built);
    }
    Path result = built;
    if (!suffix.isEmpty()) {
      Path compressed = Path.of(built + suffix);
      if (compress(built) == 0 && Files.exists(compressed)) {
        result = compressed;
      }
    }
    String name = m.destName() + (result == built ? ".ko" : ".ko" + suffix);
    Files.copy(
        result, tmpBase.resolve("module").resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private void sign(Path module) throws IOException {
    if (signing.builtin()) {
      try {
        ModuleSigner.sign(module, signing.hash(), signing.key(), signing.certificate());
      } catch (SigningException e) {
        session
            .console()
            .warn("Failed to sign module '" + area.shown(module) + "'!", e.getMessage());
      }
      return;
    }
    List<String> cmd =
        List.of(
            signing.signFile().toString(),
            signing.hash(),
            signing.key().toString(),
            signing.certificate().toString(),
            module.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    env.applyTo(pb);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (CommandRunner.waitFor(p) != 0) {
      // $(...) strips trailing newlines before warn prints the output as one line.
      session
          .console()
          .warn("Failed to sign module '" + area.shown(module) + "'!", out.stripTrailing());
    }
  }

  private int compress(Path module) throws IOException {
    List<String> cmd = new ArrayList<>();
    String opts;
    switch (suffix) {
      case ".gz" -> {
        cmd.add("gzip");
        opts = session.setting("compress_gzip_opts");
      }
      case ".xz" -> {
        cmd.add("xz");
        opts = session.setting("compress_xz_opts");
      }
      default -> {
        cmd.add("zstd");
        opts = session.setting("compress_zstd_opts");
      }
    }
    for (String o : opts.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        cmd.add(o);
      }
    }
    cmd.add("-f");
    cmd.add(module.toString());
    return run(cmd);
  }

  private int run(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    env.applyTo(pb);
    pb.redirectOutput(session.console().childOut());
    pb.redirectError(session.console().childErr());
    try {
      return CommandRunner.waitFor(pb.start());
    } catch (IOException e) {
      session.console().errln(cmd.get(0) + ": " + e.getMessage());
      return 127;
    }
  }
}
