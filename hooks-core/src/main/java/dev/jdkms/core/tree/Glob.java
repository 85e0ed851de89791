package dev.jdkms.core.tree;

import java.util.regex.Pattern;

/**
 * bash pathname-pattern matching for one path component ({@code * ? [...]}), because upstream
 * expands module and version filters as globs ({@code dkms status -m 'nvidia*'}).
 */
final class Glob {
  private Glob() {}

  static boolean matches(String pattern, String name) {
    if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
      return pattern.equals(name);
    }
    return Pattern.compile(toRegex(pattern), Pattern.DOTALL).matcher(name).matches()
        && !(name.startsWith(".") && !pattern.startsWith("."));
  }

  static String toRegex(String glob) {
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> r.append(".*");
        case '?' -> r.append('.');
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            r.append("\\[");
          } else {
            String body = glob.substring(i + 1, end);
            if (body.startsWith("!") || body.startsWith("^")) {
              body = "^" + body.substring(1);
            }
            r.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
            i = end;
          }
        }
        case '\\' -> {
          if (i + 1 < glob.length()) {
            r.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> r.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return r.toString();
  }
}
