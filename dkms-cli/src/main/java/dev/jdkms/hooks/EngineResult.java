package dev.jdkms.hooks;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a transaction ended, as the hooks' exit policies need it: the engine's status (0, 11 when a
 * module failed, or the status of a failure that stopped it), every module that failed, and the
 * problems outside any module build ({@code M/V: add failed (exit 8)}, {@code K: depmod failed}).
 */
public record EngineResult(int status, List<Failure> failures, List<String> problems) {
  /** A module that failed on a kernel; {@code outcome} is the summary's wording. */
  public record Failure(
      String module, String kernel, boolean bootCritical, String outcome, Optional<Path> log) {
    public static Failure of(String module, String kernel, boolean bootCritical) {
      return new Failure(module, kernel, bootCritical, "", Optional.empty());
    }
  }

  public EngineResult {
    failures = List.copyOf(failures);
    problems = List.copyOf(problems);
  }

  public static final EngineResult OK = new EngineResult(0, List.of(), List.of());

  /** A failure that stopped the engine before it named any module. */
  public static EngineResult stopped(int status) {
    return new EngineResult(status, List.of(), List.of());
  }

  public boolean succeeded() {
    return status == 0;
  }

  /** The failed modules (on {@code kernel}, or on any kernel when it is empty), each once. */
  public List<String> failedModules(Optional<String> kernel, boolean bootCriticalOnly) {
    Set<String> out = new LinkedHashSet<>();
    for (Failure f : failures) {
      if (kernel.map(k -> k.equals(f.kernel())).orElse(true)
          && (!bootCriticalOnly || f.bootCritical())) {
        out.add(f.module());
      }
    }
    return List.copyOf(out);
  }
}
