package dev.jdkms.core.exec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment every child process gets: dkms's own, minus the compiler variables upstream
 * unsets at start ({@code CC CXX CFLAGS CXXFLAGS LDFLAGS}) so a user's shell cannot leak flags into
 * kernel builds, with the caller's locale ({@link CallerLocale}), plus what a build exports
 * (CC/KERNEL_CC, build_environment).
 */
public final class ChildEnvironment {
  private static final List<String> UNSET = List.of("CC", "CXX", "CFLAGS", "CXXFLAGS", "LDFLAGS");
  private final Map<String, String> base;

  private ChildEnvironment(Map<String, String> base) {
    this.base = base;
  }

  /** The current process's environment with the compiler variables removed. */
  public static ChildEnvironment fromProcess() {
    return of(System.getenv());
  }

  public static ChildEnvironment of(Map<String, String> env) {
    Map<String, String> m = new HashMap<>(env);
    UNSET.forEach(m::remove);
    CallerLocale.restore(m);
    return new ChildEnvironment(m);
  }

  /** A copy with more variables set (or removed, for null values). */
  public ChildEnvironment with(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(base);
    extra.forEach(
        (k, v) -> {
          if (v == null) {
            m.remove(k);
          } else {
            m.put(k, v);
          }
        });
    return new ChildEnvironment(m);
  }

  public String get(String name) {
    return base.get(name);
  }

  public Map<String, String> asMap() {
    return Map.copyOf(base);
  }

  public void applyTo(ProcessBuilder pb) {
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(base);
  }
}
