package dev.jdkms.core.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BUILD_DEPENDS as a graph: which modules can never be installed because they depend on each other
 * (reported as cycles, never waited for), and the passes upstream's autoinstall would install them
 * in (a module goes in the pass after the last of its dependencies).
 */
public final class DependencyOrder {
  private DependencyOrder() {}

  /**
   * The cycles among {@code depends} (module → the modules it depends on; names that are not keys
   * are outside the graph). Each cycle is a path that ends where it starts ({@code a, b, a}); a
   * module depending on itself is {@code a, a}. Iteration order of the map decides which member a
   * cycle starts at.
   */
  public static List<List<String>> cycles(Map<String, List<String>> depends) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> scc : stronglyConnected(depends)) {
      String start = scc.get(0);
      if (scc.size() == 1 && !depends.get(start).contains(start)) {
        continue;
      }
      out.add(pathBack(start, new HashSet<>(scc), depends));
    }
    return out;
  }

  /** Tarjan's algorithm, iterative (deep chains must not overflow the stack). */
  private static List<List<String>> stronglyConnected(Map<String, List<String>> g) {
    Map<String, Integer> order = new HashMap<>();
    for (String k : g.keySet()) {
      order.put(k, order.size());
    }
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String root : g.keySet()) {
      if (index.containsKey(root)) {
        continue;
      }
      Deque<Object[]> work = new ArrayDeque<>();
      work.push(new Object[] {root, 0});
      index.put(root, counter[0]);
      low.put(root, counter[0]++);
      stack.push(root);
      onStack.add(root);
      while (!work.isEmpty()) {
        Object[] frame = work.peek();
        String v = (String) frame[0];
        int i = (Integer) frame[1];
        List<String> next = g.getOrDefault(v, List.of());
        if (i < next.size()) {
          frame[1] = i + 1;
          String w = next.get(i);
          if (!g.containsKey(w)) {
            continue;
          }
          if (!index.containsKey(w)) {
            index.put(w, counter[0]);
            low.put(w, counter[0]++);
            stack.push(w);
            onStack.add(w);
            work.push(new Object[] {w, 0});
          } else if (onStack.contains(w)) {
            low.put(v, Math.min(low.get(v), index.get(w)));
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          String parent = (String) work.peek()[0];
          low.put(parent, Math.min(low.get(parent), low.get(v)));
        }
        if (low.get(v).equals(index.get(v))) {
          List<String> scc = new ArrayList<>();
          String w;
          do {
            w = stack.pop();
            onStack.remove(w);
            scc.add(w);
          } while (!w.equals(v));
          // Members in the graph's own order, so reports are stable.
          scc.sort((a, b) -> order.get(a) - order.get(b));
          out.add(scc);
        }
      }
    }
    // Report in the order of each component's first member.
    out.sort((a, b) -> order.get(a.get(0)) - order.get(b.get(0)));
    return out;
  }

  /** A shortest path from {@code start} back to itself inside one component. */
  private static List<String> pathBack(
      String start, Set<String> members, Map<String, List<String>> g) {
    Map<String, String> parent = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      String v = queue.poll();
      for (String w : g.getOrDefault(v, List.of())) {
        if (!members.contains(w)) {
          continue;
        }
        if (w.equals(start)) {
          List<String> path = new ArrayList<>();
          for (String x = v; x != null; x = parent.get(x)) {
            path.add(0, x);
          }
          path.add(start);
          return path;
        }
        if (!parent.containsKey(w) && !w.equals(start)) {
          parent.put(w, v);
          queue.add(w);
        }
      }
    }
    return List.of(start, start);
  }

  /**
   * The pass each unit would be installed in if every install succeeded: 1 for units whose
   * dependencies are all in {@code installed}, else one more than the latest dependency. Units that
   * can never be installed (a cycle, or a dependency that is neither installed nor a unit) are
   * absent.
   */
  public static Map<String, Integer> passes(
      Map<String, List<String>> depends, Set<String> installed) {
    Map<String, Integer> pass = new LinkedHashMap<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Map.Entry<String, List<String>> e : depends.entrySet()) {
        if (pass.containsKey(e.getKey())) {
          continue;
        }
        int p = 1;
        boolean ready = true;
        for (String d : e.getValue()) {
          if (installed.contains(d)) {
            continue;
          }
          Integer dp = pass.get(d);
          if (dp == null) {
            ready = false;
            break;
          }
          p = Math.max(p, dp + 1);
        }
        if (ready) {
          pass.put(e.getKey(), p);
          progress = true;
        }
      }
    }
    return pass;
  }
}
