package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ShellVariablesTest {
  @Test
  void ofMakesScalarsElementZero() {
    ShellVariables v = ShellVariables.of(Map.of("A", "x"));
    assertThat(v.get("A")).isEqualTo("x");
    assertThat(v.get("A", 0)).isEqualTo("x");
    assertThat(v.get("A", 1)).isEmpty();
    assertThat(v.get("B")).isEmpty();
    assertThat(v.count("A")).isEqualTo(1);
    assertThat(v.maxIndex("B")).isEqualTo(-1);
  }

  @Test
  void withReplacesElementZeroOfACopy() {
    SortedMap<Integer, String> make = new TreeMap<>(Map.of(0, "a", 2, "c"));
    ShellVariables v = new ShellVariables(new java.util.HashMap<>(Map.of("MAKE", make)));
    ShellVariables w = v.with("MAKE", "z").with("NEW", "n");
    assertThat(w.array("MAKE")).containsExactly(entry(0, "z"), entry(2, "c"));
    assertThat(w.get("NEW")).isEqualTo("n");
    assertThat(v.get("MAKE")).isEqualTo("a");
    assertThat(v.count("NEW")).isZero();
  }
}
