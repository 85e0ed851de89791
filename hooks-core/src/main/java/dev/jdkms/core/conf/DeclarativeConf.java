package dev.jdkms.core.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A fast path for dkms.conf files that are pure assignments — most of them: {@code NAME=value} and
 * {@code NAME[N]=value} lines, comments and blank lines, values made of plain words, single-quoted
 * text and double-quoted text with {@code $name}/{@code ${name}} expansions. Such files are read
 * here, with exactly the result {@link ShellEvaluator} gets from bash; anything else (commands,
 * conditionals, command substitution, other parameter expansions, arrays written as lists,
 * continuation lines, CR characters, variables from the environment, values the re-evaluation of
 * upstream's dump would change) makes the whole evaluation go to bash. Upstream sources every
 * dkms.conf through bash for every status line; this is what makes {@code dkms status} fast.
 */
public final class DeclarativeConf {
  private DeclarativeConf() {}

  /** Thrown (and caught) when a file needs bash. */
  private static final class NeedsBash extends Exception {
    private static final long serialVersionUID = 1L;

    NeedsBash() {
      super(null, null, false, false);
    }
  }

  private static final NeedsBash NEEDS_BASH = new NeedsBash();

  /** The largest file read into memory here (real dkms.conf files are a few KiB). */
  private static final long MAX_FILE_BYTES = 1 << 20;

  /**
   * What a declarative evaluation found: the variables, and the deprecation warnings bash would
   * print after each file (shown only for reads that ask for them).
   */
  public record Evaluated(ShellVariables variables, List<String> warnings) {}

  /**
   * The variables {@code files} set, as {@link ShellEvaluator#evaluate} with {@code unsetFirst}
   * would return them, or empty when a file is not purely declarative.
   */
  public static Optional<Evaluated> evaluate(
      List<Path> files, Map<String, String> context, List<String> accepted) {
    List<String> warnings = new java.util.ArrayList<>();
    Set<String> acceptedSet = new HashSet<>(accepted);
    Map<String, SortedMap<Integer, String>> state = new HashMap<>();
    try {
      for (Path f : files) {
        if (Files.size(f) > MAX_FILE_BYTES) {
          throw NEEDS_BASH; // not a recipe anyone wrote by hand: bash and its output bound decide
        }
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
          throw NEEDS_BASH; // not UTF-8: leave byte-exactness to bash
        }
        // The file runs in a subshell that sees the context and what earlier files set.
        Map<String, SortedMap<Integer, String>> vars = new HashMap<>();
        // Accepted names were unset before the first file (read_conf), so context values of
        // those names are invisible.
        context.forEach(
            (k, v) -> {
              if (!acceptedSet.contains(k)) {
                vars.put(k, single(v));
              }
            });
        state.forEach((k, v) -> vars.put(k, new TreeMap<>(v)));
        for (String line : text.split("\n", -1)) {
          assign(line, vars, acceptedSet, context);
        }
        for (String name : accepted) {
          SortedMap<Integer, String> v = vars.get(name);
          if (v == null) {
            continue;
          }
          SortedMap<Integer, String> reread = new TreeMap<>();
          for (Map.Entry<Integer, String> e : v.entrySet()) {
            String value = e.getValue();
            // upstream's dump prints NAME[i]="value" and evals it: the value is expanded again.
            if (value.indexOf('$') >= 0
                || value.indexOf('`') >= 0
                || value.indexOf('\\') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('*') >= 0
                || value.indexOf('?') >= 0
                || value.indexOf('[') >= 0) {
              throw NEEDS_BASH;
            }
            // The dump's echo word-splits the unquoted value: each run of blanks becomes one space.
            reread.put(e.getKey(), value.replaceAll("[ \t\n]+", " "));
          }
          state.put(name, reread);
        }
        warnings.addAll(Deprecations.lines(f, state));
      }
    } catch (NeedsBash | IOException | RuntimeException e) {
      return Optional.empty();
    }
    Map<String, SortedMap<Integer, String>> out = new HashMap<>();
    for (String name : accepted) {
      if (state.containsKey(name)) {
        out.put(name, state.get(name));
      }
    }
    return Optional.of(new Evaluated(new ShellVariables(out), List.copyOf(warnings)));
  }

  private static SortedMap<Integer, String> single(String v) {
    SortedMap<Integer, String> m = new TreeMap<>();
    m.put(0, v);
    return m;
  }

  private static boolean identStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean identPart(char c) {
    return identStart(c) || (c >= '0' && c <= '9');
  }

  /** Characters a plain (unquoted) word may hold without any shell meaning. */
  private static boolean plain(char c) {
    return identPart(c) || "./:,+=@%^-".indexOf(c) >= 0;
  }

  private static void assign(
      String line,
      Map<String, SortedMap<Integer, String>> vars,
      Set<String> accepted,
      Map<String, String> context)
      throws NeedsBash {
    int i = 0;
    int n = line.length();
    if (line.indexOf('\r') >= 0) {
      throw NEEDS_BASH;
    }
    while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    if (i == n || line.charAt(i) == '#') {
      return;
    }
    int start = i;
    if (!identStart(line.charAt(i))) {
      throw NEEDS_BASH;
    }
    while (i < n && identPart(line.charAt(i))) {
      i++;
    }
    String name = line.substring(start, i);
    if (name.startsWith("DKMS_DIRECTIVE")) {
      throw NEEDS_BASH;
    }
    int index = 0;
    if (i < n && line.charAt(i) == '[') {
      int close = line.indexOf(']', i);
      if (close < 0) {
        throw NEEDS_BASH;
      }
      String idx = line.substring(i + 1, close);
      // (a leading 0 is octal to bash, and 08 an error: left to bash)
      if (idx.isEmpty()
          || idx.length() > 6
          || (idx.length() > 1 && idx.charAt(0) == '0')
          || !idx.chars().allMatch(Character::isDigit)) {
        throw NEEDS_BASH;
      }
      index = Integer.parseInt(idx);
      i = close + 1;
    }
    if (i >= n || line.charAt(i) != '=') {
      throw NEEDS_BASH;
    }
    i++;
    StringBuilder value = new StringBuilder();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t') {
        break;
      } else if (c == '\'') {
        int close = line.indexOf('\'', i + 1);
        if (close < 0) {
          throw NEEDS_BASH;
        }
        value.append(line, i + 1, close);
        i = close + 1;
      } else if (c == '"') {
        i = doubleQuoted(line, i + 1, value, vars, accepted, context);
      } else if (c == '$') {
        i = expand(line, i, value, vars, accepted, context);
      } else if (c == '\\') {
        if (i + 1 >= n) {
          throw NEEDS_BASH; // a continuation line
        }
        value.append(line.charAt(i + 1));
        i += 2;
      } else if (plain(c)) {
        value.append(c);
        i++;
      } else {
        throw NEEDS_BASH;
      }
    }
    while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    if (i < n && line.charAt(i) != '#') {
      throw NEEDS_BASH; // more words: a command with assignments, or several assignments
    }
    vars.computeIfAbsent(name, k -> new TreeMap<>()).put(index, value.toString());
  }

  private static int doubleQuoted(
      String line,
      int i,
      StringBuilder value,
      Map<String, SortedMap<Integer, String>> vars,
      Set<String> accepted,
      Map<String, String> context)
      throws NeedsBash {
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          throw NEEDS_BASH;
        }
        char d = line.charAt(i + 1);
        if ("$`\"\\".indexOf(d) >= 0) {
          value.append(d);
        } else {
          value.append(c).append(d);
        }
        i += 2;
      } else if (c == '$') {
        i = expand(line, i, value, vars, accepted, context);
      } else if (c == '`') {
        throw NEEDS_BASH;
      } else {
        value.append(c);
        i++;
      }
    }
    throw NEEDS_BASH; // the string goes on in the next line
  }

  /** {@code $name} or {@code ${name}} at {@code i}; anything else needs bash. */
  private static int expand(
      String line,
      int i,
      StringBuilder value,
      Map<String, SortedMap<Integer, String>> vars,
      Set<String> accepted,
      Map<String, String> context)
      throws NeedsBash {
    int n = line.length();
    int j = i + 1;
    boolean braced = j < n && line.charAt(j) == '{';
    if (braced) {
      j++;
    }
    int start = j;
    if (j >= n || !identStart(line.charAt(j))) {
      throw NEEDS_BASH;
    }
    while (j < n && identPart(line.charAt(j))) {
      j++;
    }
    String name = line.substring(start, j);
    if (braced) {
      if (j >= n || line.charAt(j) != '}') {
        throw NEEDS_BASH;
      }
      j++;
    }
    SortedMap<Integer, String> v = vars.get(name);
    if (v != null) {
      value.append(v.getOrDefault(0, ""));
    } else if (!accepted.contains(name) && !context.containsKey(name)) {
      throw NEEDS_BASH; // maybe from the environment
    }
    return j;
  }
}
