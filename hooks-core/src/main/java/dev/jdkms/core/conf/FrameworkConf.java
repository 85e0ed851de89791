package dev.jdkms.core.conf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /etc/dkms/framework.conf} and {@code framework.conf.d/*.conf}, sourced like upstream: only
 * accepted variables come back, functions and other state never leak. Some variables start from the
 * process environment (upstream never resets them), the others from fixed defaults.
 */
public final class FrameworkConf {
  /** Variables read at start-up. */
  public static final List<String> NON_SIGNING =
      List.of(
          "source_tree",
          "dkms_tree",
          "install_tree",
          "tmp_location",
          "verbose",
          "symlink_modules",
          "autoinstall_all_kernels",
          "modprobe_on_install",
          "parallel_jobs",
          "compress_gzip_opts",
          "compress_xz_opts",
          "compress_zstd_opts",
          "build_environment",
          "post_transaction",
          // jdkms's own settings; upstream ignores them, so one framework.conf serves both.
          "jdkms_signer");

  /** Variables read lazily when signing is prepared (then {@code $kernelver} is set). */
  public static final List<String> SIGNING =
      List.of(
          "sign_file", "mok_signing_key", "mok_certificate", "try_sign_modules", "jdkms_signer");

  /** Read lazily after a successful transaction. */
  public static final List<String> POST_TRANSACTION = List.of("post_transaction");

  private final Path etcDkms;
  private final ShellEvaluator evaluator;

  public FrameworkConf(Path etcDkms, ShellEvaluator evaluator) {
    this.etcDkms = etcDkms;
    this.evaluator = evaluator;
  }

  /** framework.conf, then framework.conf.d/*.conf in glob (byte) order. */
  public List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    Path main = etcDkms.resolve("framework.conf");
    if (Files.exists(main)) {
      files.add(main);
    }
    Path d = etcDkms.resolve("framework.conf.d");
    if (Files.isDirectory(d)) {
      List<Path> extra = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*.conf")) {
        for (Path p : s) {
          if (!p.getFileName().toString().startsWith(".")) {
            extra.add(p);
          }
        }
      }
      extra.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      files.addAll(extra);
    }
    return files;
  }

  /**
   * Sources the files with {@code context} preset and returns the accepted variables' final values
   * (unset ones keep their context value).
   */
  public Map<String, String> read(Map<String, String> context, List<String> accepted)
      throws ConfException, IOException {
    List<Path> files = files();
    Map<String, String> out = new LinkedHashMap<>(context);
    if (files.isEmpty()) {
      return out;
    }
    // The accepted names are preset from context so that a file can refer to them, as in bash.
    ShellVariables v = evaluator.evaluate(files, context, accepted, false, false);
    for (String name : accepted) {
      if (v.count(name) > 0) {
        out.put(name, v.get(name));
      }
    }
    return out;
  }
}
