package dev.jdkms.core.build;

import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.exec.BuildProgress;
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
import java.util.function.Function;

/**
 * The steps after make for each built .ko, in upstream's order: strip, sign (before compression, or
 * the kernel could not verify it), compress to match the kernel ({@link ModuleCompressor}), copy
 * into the new built dir.
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

  /**
   * Finishes every built module: strip and sign one after another (the signing lines in upstream's
   * order), then compress them side by side, since compression prints nothing unless it fails, and
   * copy each into {@code tmpBase/module}.
   */
  void finishAll(List<ModuleRecord> modules, Function<ModuleRecord, Path> builtOf, Path tmpBase)
      throws IOException {
    List<ModuleRecord> present = new ArrayList<>();
    for (ModuleRecord m : modules) {
      Path built = builtOf.apply(m);
      if (!Files.isRegularFile(built)) {
        session.console().warn(area.shown(built) + " has disappeared");
        continue;
      }
      present.add(m);
      if (m.strip()) {
        run(
            List.of(
                "clang".equals(env.get("CC")) ? "llvm-strip" : "strip", "-g", built.toString()));
      }
      if (signing.enabled()) {
        session.progress().enter(BuildProgress.Phase.SIGN);
        session.console().println("Signing module " + area.shown(built));
        sign(built);
      }
    }
    List<Path> results = compressAll(present.stream().map(builtOf).toList());
    for (int i = 0; i < present.size(); i++) {
      Path built = builtOf.apply(present.get(i));
      Path result = results.get(i);
      String name = present.get(i).destName() + (result.equals(built) ? ".ko" : ".ko" + suffix);
      Files.copy(
          result, tmpBase.resolve("module").resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Compresses the modules side by side; each one's result (itself when not compressed). */
  private List<Path> compressAll(List<Path> built) throws IOException {
    if (suffix.isEmpty() || built.isEmpty()) {
      return built;
    }
    session.progress().enter(BuildProgress.Phase.COMPRESS);
    int threads = ModuleCompressor.threads(session.setting("parallel_jobs"));
    ModuleCompressor compressor =
        new ModuleCompressor(suffix, compressOptions(), threads, this::run);
    return compressor.compressAll(built);
  }

  private String compressOptions() {
    return switch (suffix) {
      case ".gz" -> session.setting("compress_gzip_opts");
      case ".xz" -> session.setting("compress_xz_opts");
      default -> session.setting("compress_zstd_opts");
    };
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
