package dev.jdkms.core.kabi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which of a set of modules kernel B would load, applying every rule of {@link Rule} to
 * each, with modules of the set providing symbols and {@code depends=} to each other. Modules that
 * depend on each other (by {@code depends=} or by a symbol) form a group, and a group is accepted
 * all-or-none: when one member fails, every member fails, and the set is decided again without them
 * until nothing changes (a fixpoint). Pure in-memory work: no depmod, no processes.
 */
public final class CompatibilityChecker {
  private CompatibilityChecker() {}

  /** The verdict for one module on its own (its dependencies must be in B already). */
  public static Verdict check(KernelModule module, KernelAbi kernel) {
    return decide(List.of(Candidate.of(module)), kernel).get(0);
  }

  /** Verdicts for the candidates, in their order, deciding groups all-or-none to a fixpoint. */
  public static List<Verdict> decide(List<Candidate> candidates, KernelAbi kernel) {
    int n = candidates.size();
    List<Map<String, Candidate.Provided>> exports = new ArrayList<>(n);
    for (Candidate c : candidates) {
      exports.add(c.exports());
    }
    List<Set<Integer>> groups = groups(candidates, exports);
    Verdict[] verdicts = new Verdict[n];
    boolean[] available = new boolean[n];
    java.util.Arrays.fill(available, true);
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<String, Candidate.Provided> provided = new HashMap<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < n; i++) {
        if (available[i]) {
          exports.get(i).forEach(provided::putIfAbsent);
          names.add(candidates.get(i).module().name());
        }
      }
      for (int i = 0; i < n; i++) {
        if (available[i]) {
          verdicts[i] = new RuleSet(candidates.get(i), kernel, provided, names).verdict();
        }
      }
      for (Set<Integer> group : groups) {
        List<String> failed = new ArrayList<>();
        for (int i : group) {
          if (available[i] && verdicts[i].status() != Verdict.Status.COMPATIBLE) {
            failed.add(candidates.get(i).module().name());
          }
        }
        if (failed.isEmpty() || group.size() == 1) {
          for (int i : group) {
            if (available[i] && !failed.isEmpty()) {
              available[i] = false;
              changed = true;
            }
          }
          continue;
        }
        for (int i : group) {
          if (!available[i]) {
            continue;
          }
          available[i] = false;
          changed = true;
          verdicts[i] = withGroupFailure(verdicts[i], group, candidates, failed);
        }
      }
    }
    return List.of(verdicts);
  }

  private static Verdict withGroupFailure(
      Verdict v, Set<Integer> group, List<Candidate> candidates, List<String> failed) {
    Finding old = v.finding(Rule.DEPENDENCIES);
    List<Finding.Evidence> ev = new ArrayList<>(old.evidence());
    List<String> members = new ArrayList<>();
    for (int i : group) {
      members.add(candidates.get(i).module().name());
    }
    ev.add(
        new Finding.Evidence(
            "group",
            String.join(",", members),
            "",
            "not compatible: " + String.join(", ", failed)));
    if (old.outcome() == Finding.Outcome.FAIL) {
      return v.with(Finding.fail(Rule.DEPENDENCIES, old.summary(), ev));
    }
    return v.with(
        Finding.fail(
            Rule.DEPENDENCIES,
            "its group "
                + members
                + " is decided all-or-none, and "
                + String.join(", ", failed)
                + " cannot be used",
            ev));
  }

  /** Connected components of "depends on / imports from" among the candidates. */
  private static List<Set<Integer>> groups(
      List<Candidate> candidates, List<Map<String, Candidate.Provided>> exports) {
    int n = candidates.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    Map<String, Integer> byName = new HashMap<>();
    Map<String, Integer> bySymbol = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byName.putIfAbsent(candidates.get(i).module().name(), i);
      for (String s : exports.get(i).keySet()) {
        bySymbol.putIfAbsent(s, i);
      }
    }
    for (int i = 0; i < n; i++) {
      KernelModule m = candidates.get(i).module();
      for (String d : m.depends()) {
        Integer j = byName.get(d.replace('-', '_'));
        if (j != null) {
          union(parent, i, j);
        }
      }
      for (KernelModule.Import imp : m.imports()) {
        Integer j = bySymbol.get(imp.name());
        if (j != null) {
          union(parent, i, j);
        }
      }
    }
    Map<Integer, Set<Integer>> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      out.computeIfAbsent(find(parent, i), k -> new java.util.TreeSet<>()).add(i);
    }
    return new ArrayList<>(out.values());
  }

  private static int find(int[] p, int i) {
    while (p[i] != i) {
      p[i] = p[p[i]];
      i = p[i];
    }
    return i;
  }

  private static void union(int[] p, int a, int b) {
    p[find(p, a)] = find(p, b);
  }
}
