package dev.jdkms.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyOrderTest {
  private static Map<String, List<String>> graph(String... edges) {
    Map<String, List<String>> g = new LinkedHashMap<>();
    for (String e : edges) {
      String[] p = e.split(":", -1);
      g.put(p[0], p[1].isEmpty() ? List.of() : List.of(p[1].split(",")));
    }
    return g;
  }

  @Test
  void passesFollowTheLatestDependency() {
    Map<String, List<String>> g = graph("d:b,c", "a:", "b:a", "c:", "e:zz", "f:installed");
    assertThat(DependencyOrder.passes(g, Set.of("installed")))
        .containsEntry("a", 1)
        .containsEntry("c", 1)
        .containsEntry("f", 1)
        .containsEntry("b", 2)
        .containsEntry("d", 3)
        .doesNotContainKey("e");
  }

  @Test
  void cyclesAreFoundAndNothingElse() {
    Map<String, List<String>> g = graph("a:b", "b:c", "c:a,d", "d:", "e:e", "f:a");
    assertThat(DependencyOrder.cycles(g))
        .containsExactly(List.of("a", "b", "c", "a"), List.of("e", "e"));
    assertThat(DependencyOrder.passes(g, Set.of())).containsOnlyKeys("d");
  }

  @Test
  void aLongChainNeitherOverflowsNorHangs() {
    Map<String, List<String>> g = new LinkedHashMap<>();
    int n = 20000;
    for (int i = 0; i < n; i++) {
      g.put("m" + i, List.of("m" + ((i + 1) % n)));
    }
    List<List<String>> cycles = DependencyOrder.cycles(g);
    assertThat(cycles).hasSize(1);
    assertThat(cycles.get(0)).hasSize(n + 1);
    List<String> keys = new ArrayList<>(g.keySet());
    g.put(keys.get(n - 1), List.of());
    assertThat(DependencyOrder.cycles(g)).isEmpty();
  }
}
