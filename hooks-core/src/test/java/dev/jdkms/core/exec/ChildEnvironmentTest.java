package dev.jdkms.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
  static Map<String, String> withCompilerVars() {
    Map<String, String> m = new HashMap<>();
    m.put("PATH", "/usr/bin:/bin");
    m.put("CC", "clang");
    m.put("CXX", "clang++");
    m.put("CFLAGS", "-O0");
    m.put("CXXFLAGS", "-O0");
    m.put("LDFLAGS", "-static");
    m.put("LD", "ld.gold");
    m.put("parallel_jobs", "1");
    return m;
  }

  @Test
  void compilerVariablesAreRemovedLikeUpstreamsUnset() {
    ChildEnvironment e = ChildEnvironment.of(withCompilerVars());
    assertThat(e.asMap())
        .doesNotContainKeys("CC", "CXX", "CFLAGS", "CXXFLAGS", "LDFLAGS")
        // only those five: LD and the rest stay
        .containsEntry("LD", "ld.gold")
        .containsEntry("PATH", "/usr/bin:/bin")
        .containsEntry("parallel_jobs", "1");
    assertThat(e.get("CC")).isNull();
  }

  @Test
  void fromProcessHasNoCompilerVariables() {
    assertThat(ChildEnvironment.fromProcess().asMap())
        .doesNotContainKeys("CC", "CXX", "CFLAGS", "CXXFLAGS", "LDFLAGS");
  }

  @Test
  void withAddsAndRemovesOnACopy() {
    ChildEnvironment base = ChildEnvironment.of(withCompilerVars());
    Map<String, String> extra = new HashMap<>();
    extra.put("CC", "gcc-12");
    extra.put("KERNEL_CC", "gcc-12");
    extra.put("LD", null);
    ChildEnvironment build = base.with(extra);
    // a build may set CC again (compiler detection)
    assertThat(build.get("CC")).isEqualTo("gcc-12");
    assertThat(build.get("KERNEL_CC")).isEqualTo("gcc-12");
    assertThat(build.get("LD")).isNull();
    assertThat(base.get("CC")).isNull();
    assertThat(base.get("LD")).isEqualTo("ld.gold");
  }

  @Test
  void applyToReplacesTheWholeEnvironment() {
    ProcessBuilder pb = new ProcessBuilder("true");
    pb.environment().put("STALE", "x");
    ChildEnvironment.of(Map.of("ONLY", "this")).applyTo(pb);
    assertThat(pb.environment()).containsExactly(Map.entry("ONLY", "this"));
  }

  @Test
  void asMapIsACopy() {
    ChildEnvironment e = ChildEnvironment.of(Map.of("A", "1"));
    assertThatThrownBy(() -> e.asMap().put("B", "2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void childrenGetTheCallersLcAllBackFromTheLauncher() {
    Map<String, String> m = withCompilerVars();
    m.put("LC_ALL", "C.UTF-8");
    m.put(CallerLocale.SAVED, "set:C");
    assertThat(ChildEnvironment.of(m).asMap())
        .containsEntry("LC_ALL", "C")
        .doesNotContainKey(CallerLocale.SAVED);
    m.put(CallerLocale.SAVED, "unset");
    assertThat(ChildEnvironment.of(m).asMap()).doesNotContainKeys("LC_ALL", CallerLocale.SAVED);
    m.remove(CallerLocale.SAVED);
    assertThat(ChildEnvironment.of(m).asMap()).containsEntry("LC_ALL", "C.UTF-8");
  }
}
