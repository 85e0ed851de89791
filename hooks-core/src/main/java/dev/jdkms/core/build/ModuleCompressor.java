package dev.jdkms.core.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compresses a build's modules with the kernel's tool and upstream's options ({@code
 * compress_*_opts}), several modules side by side, and a large one with its tool's own threads.
 *
 * <p>Threads are added only to a module of {@link #LARGE_BYTES} or more and only when the options
 * name no thread count: xz with threads cuts its input into blocks (of three times its dictionary:
 * 3 MiB with upstream's {@code --lzma2=dict=1MiB}), which both the kernel's and kmod's decoders
 * read, but whose bytes differ from a single-threaded run; small modules therefore stay byte for
 * byte what upstream makes. zstd's output does not depend on its thread count (upstream already
 * passes {@code -T0}); gzip has none.
 */
final class ModuleCompressor {
  /** From this size a module is compressed with threads (nvidia.ko is 80 MiB and more). */
  static final long LARGE_BYTES = 16L * 1024 * 1024;

  /** Runs one command, returning its exit status. */
  @FunctionalInterface
  interface Runner {
    int run(List<String> command) throws IOException;
  }

  private final String suffix;
  private final String options;
  private final int threads;
  private final Runner runner;

  /**
   * @param suffix the kernel's module suffix ({@code .gz}, {@code .xz}, {@code .zst})
   * @param options upstream's {@code compress_*_opts} for that tool
   * @param threads how many cores the job budget gives
   */
  ModuleCompressor(String suffix, String options, int threads, Runner runner) {
    this.suffix = suffix;
    this.options = options;
    this.threads = Math.max(1, threads);
    this.runner = runner;
  }

  /** The cores a {@code parallel_jobs} value gives: the number, else one per CPU. */
  static int threads(String parallelJobs) {
    String t = parallelJobs == null ? "" : parallelJobs.trim();
    if (t.matches("[0-9]{1,4}") && Integer.parseInt(t) > 0) {
      return Integer.parseInt(t);
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** The command that compresses {@code module} of {@code size} bytes in place. */
  List<String> command(Path module, long size) {
    List<String> cmd = new ArrayList<>();
    String tool =
        switch (suffix) {
          case ".gz" -> "gzip";
          case ".xz" -> "xz";
          default -> "zstd";
        };
    cmd.add(tool);
    boolean threadsGiven = false;
    for (String o : options.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        cmd.add(o);
        threadsGiven |= o.matches("-T.*|--threads(=.*)?");
      }
    }
    if (!tool.equals("gzip") && !threadsGiven && threads > 1 && size >= LARGE_BYTES) {
      cmd.add("-T" + threads);
    }
    cmd.add("-f");
    cmd.add(module.toString());
    return cmd;
  }

  /**
   * Compresses every module (at most {@code threads} at once); for each, the compressed file, or
   * the module itself when its compression failed (upstream then installs it uncompressed).
   */
  List<Path> compressAll(List<Path> modules) throws IOException {
    if (modules.size() == 1) {
      return List.of(compress(modules.get(0)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, modules.size()));
    try {
      List<Future<Path>> done = new ArrayList<>();
      for (Path m : modules) {
        done.add(
            pool.submit(
                () -> {
                  try {
                    return compress(m);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }));
      }
      List<Path> out = new ArrayList<>();
      for (Future<Path> f : done) {
        out.add(get(f));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private Path compress(Path module) throws IOException {
    Path compressed = Path.of(module + suffix);
    int rc = runner.run(command(module, Files.size(module)));
    return rc == 0 && Files.exists(compressed) ? compressed : module;
  }

  private static Path get(Future<Path> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IOException(e.getCause());
    }
  }
}
