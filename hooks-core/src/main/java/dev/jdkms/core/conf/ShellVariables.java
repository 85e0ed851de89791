package dev.jdkms.core.conf;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What sourcing a shell file left in the accepted variables. In bash every variable is an array
 * ({@code MAKE="x"} is {@code MAKE[0]}), possibly sparse, so each name maps to index → value.
 */
public final class ShellVariables {
  private final Map<String, SortedMap<Integer, String>> values;

  ShellVariables(Map<String, SortedMap<Integer, String>> values) {
    this.values = values;
  }

  /** Builds variables by hand (tests, and values that do not come from bash). */
  public static ShellVariables of(Map<String, String> scalars) {
    Map<String, SortedMap<Integer, String>> v = new HashMap<>();
    scalars.forEach((k, s) -> v.computeIfAbsent(k, x -> new TreeMap<>()).put(0, s));
    return new ShellVariables(v);
  }

  /** {@code $NAME}: element 0, or "" when unset. */
  public String get(String name) {
    SortedMap<Integer, String> a = values.get(name);
    return a == null ? "" : a.getOrDefault(0, "");
  }

  /** {@code ${NAME[i]}}, or "" when unset. */
  public String get(String name, int index) {
    SortedMap<Integer, String> a = values.get(name);
    return a == null ? "" : a.getOrDefault(index, "");
  }

  /** All set elements of {@code NAME}, by index. */
  public SortedMap<Integer, String> array(String name) {
    SortedMap<Integer, String> a = values.get(name);
    return a == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(a);
  }

  /** {@code ${#NAME[@]}}: the number of set elements. */
  public int count(String name) {
    return array(name).size();
  }

  /** The highest set index, or -1. */
  public int maxIndex(String name) {
    SortedMap<Integer, String> a = values.get(name);
    return a == null || a.isEmpty() ? -1 : a.lastKey();
  }

  /** A copy with {@code NAME[0]} replaced (the {@code --directive NAME=value} option). */
  public ShellVariables with(String name, String value) {
    Map<String, SortedMap<Integer, String>> copy = new HashMap<>();
    values.forEach((k, a) -> copy.put(k, new TreeMap<>(a)));
    copy.computeIfAbsent(name, x -> new TreeMap<>()).put(0, value);
    return new ShellVariables(copy);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
