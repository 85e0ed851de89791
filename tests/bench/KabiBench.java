import dev.jdkms.core.kabi.Candidate;
import dev.jdkms.core.kabi.CompatibilityChecker;
import dev.jdkms.core.kabi.KernelAbi;
import dev.jdkms.core.kabi.KernelAbiLoader;
import dev.jdkms.core.kabi.KernelModule;
import dev.jdkms.core.kabi.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * kABI verdict benchmark (run by kabi-bench.sh): M modules x K kernels, decided the way a kernel
 * hook would (ABIs loaded in parallel, every module read, one decision per kernel). Round 1 is
 * cold: a fresh JVM, empty ABI cache. Later rounds are warm: JIT-compiled code, once with the ABI
 * cache kept (what a long-lived process or a second kernel in one transaction sees), once with it
 * cleared (all parsing again, hot code). Prints figures; asserts nothing.
 *
 * <p>Usage: KabiBench ROOT ROUNDS KERNEL,KERNEL,... MODULE...
 */
public final class KabiBench {
  public static void main(String[] args) throws Exception {
    long entered = System.nanoTime();
    Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(null);
    Path root = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    List<String> kernels = List.of(args[2].split(","));
    List<Path> modules = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      modules.add(Path.of(args[i]));
    }
    int verdicts = modules.size() * kernels.size();

    long cold = round(root, kernels, modules, true);
    long coldWall =
        jvmStart == null ? -1 : Duration.between(jvmStart, Instant.now()).toNanos();
    System.out.printf(
        "modules %d x kernels %d = %d verdicts, %d cores%n",
        modules.size(), kernels.size(), verdicts, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "cold  (fresh JVM, empty cache): %7.1f ms in process, %7.1f ms from JVM start"
            + "   = %6.2f ms per verdict%n",
        cold / 1e6, coldWall / 1e6, cold / 1e6 / verdicts);
    long[] cached = new long[rounds];
    long[] uncached = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      uncached[r] = round(root, kernels, modules, true);
      cached[r] = round(root, kernels, modules, false);
    }
    report("warm, ABI cache cleared", uncached, verdicts);
    report("warm, ABI cache kept   ", cached, verdicts);
    System.out.printf("(JVM start to main: %.1f ms)%n",
        jvmStart == null ? -1 : (Duration.between(jvmStart, Instant.now()).toNanos() - (System.nanoTime() - entered)) / 1e6);
  }

  private static void report(String what, long[] times, int verdicts) {
    long[] s = times.clone();
    java.util.Arrays.sort(s);
    long median = s[s.length / 2];
    System.out.printf(
        "%s: median %7.2f ms (min %.2f, max %.2f, %d rounds) = %6.3f ms per verdict%n",
        what, median / 1e6, s[0] / 1e6, s[s.length - 1] / 1e6, s.length, median / 1e6 / verdicts);
  }

  private static long round(Path root, List<String> kernels, List<Path> modules, boolean clear)
      throws Exception {
    if (clear) {
      KernelAbiLoader.clearCache();
    }
    long t0 = System.nanoTime();
    // references: the modules themselves tell their kernel's struct module size
    KernelAbiLoader loader = new KernelAbiLoader(root, modules);
    List<KernelAbi> abis = loader.loadAll(kernels);
    List<Candidate> candidates =
        modules.parallelStream()
            .map(
                p -> {
                  try {
                    return Candidate.of(KernelModule.read(p));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .toList();
    Map<Verdict.Status, Integer> counts = new EnumMap<>(Verdict.Status.class);
    for (KernelAbi abi : abis) {
      for (Verdict v : CompatibilityChecker.decide(candidates, abi)) {
        counts.merge(v.status(), 1, Integer::sum);
      }
    }
    long t = System.nanoTime() - t0;
    if (clear && first) {
      System.out.println("verdicts: " + counts);
      first = false;
    }
    return t;
  }

  private static boolean first = true;
}
