package dev.jdkms.core.conf;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * bash's {@code [[ s =~ ERE ]]} (glibc POSIX extended regular expressions), translated to
 * java.util.regex. The translation keeps what both share and rewrites where they differ: POSIX
 * classes, GNU escapes ({@code \< \> \` \'}), a backslash before an ordinary letter (just the
 * letter in glibc, so {@code \d} is "d"), backslashes inside brackets (ordinary characters there),
 * and Java-only syntax such as {@code (?i)} (invalid in ERE).
 */
public final class BashRegex {
  private static final Map<String, String> CLASSES =
      Map.ofEntries(
          Map.entry("alpha", "\\p{Alpha}"),
          Map.entry("digit", "\\p{Digit}"),
          Map.entry("alnum", "\\p{Alnum}"),
          Map.entry("upper", "\\p{Upper}"),
          Map.entry("lower", "\\p{Lower}"),
          Map.entry("space", "\\s"),
          Map.entry("blank", "\\p{Blank}"),
          Map.entry("xdigit", "\\p{XDigit}"),
          Map.entry("punct", "\\p{Punct}"),
          Map.entry("cntrl", "\\p{Cntrl}"),
          Map.entry("print", "\\p{Print}"),
          Map.entry("graph", "\\p{Graph}"));

  private BashRegex() {}

  /** True when {@code text} contains a match of the extended regular expression. */
  public static boolean matches(String text, String ere) {
    try {
      return Pattern.compile(translate(ere)).matcher(text).find();
    } catch (PatternSyntaxException e) {
      // bash treats an invalid regex as a failed match (status 2), which callers see as "no".
      return false;
    }
  }

  static String translate(String ere) {
    StringBuilder out = new StringBuilder();
    int n = ere.length();
    for (int i = 0; i < n; i++) {
      char c = ere.charAt(i);
      if (c == '\\') {
        if (i + 1 == n) {
          throw invalid(ere, "trailing backslash");
        }
        escape(ere.charAt(++i), out);
      } else if (c == '[') {
        i = bracket(ere, i, out);
      } else if (c == '(' && i + 1 < n && ere.charAt(i + 1) == '?') {
        throw invalid(ere, "repetition operator after '('");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A backslash outside brackets: GNU operators, back-references, else the character itself. */
  private static void escape(char e, StringBuilder out) {
    switch (e) {
      case 'w', 'W', 's', 'S', 'b', 'B' -> out.append('\\').append(e);
      case '<' -> out.append("\\b(?=\\w)");
      case '>' -> out.append("\\b(?<=\\w)");
      case '`' -> out.append("\\A");
      case '\'' -> out.append("\\z");
      default -> {
        if (e >= '1' && e <= '9') {
          out.append('\\').append(e);
        } else {
          literal(e, out);
        }
      }
    }
  }

  private static void literal(char c, StringBuilder out) {
    if (Character.isLetterOrDigit(c) || c == '_' || c == ' ') {
      out.append(c);
    } else {
      out.append('\\').append(c);
    }
  }

  /**
   * Translates the bracket expression starting at {@code ere[start] == '['} and returns the index
   * of its closing bracket.
   */
  private static int bracket(String ere, int start, StringBuilder out) {
    int n = ere.length();
    int i = start + 1;
    out.append('[');
    if (i < n && ere.charAt(i) == '^') {
      out.append('^');
      i++;
    }
    boolean first = true;
    while (i < n) {
      char c = ere.charAt(i);
      if (c == ']' && !first) {
        out.append(']');
        return i;
      }
      first = false;
      if (c == '[' && i + 1 < n && ":.=".indexOf(ere.charAt(i + 1)) >= 0) {
        char kind = ere.charAt(i + 1);
        int close = ere.indexOf(kind + "]", i + 2);
        if (close < 0) {
          throw invalid(ere, "unterminated [" + kind);
        }
        String name = ere.substring(i + 2, close);
        if (kind == ':') {
          String cls = CLASSES.get(name);
          if (cls == null) {
            throw invalid(ere, "unknown class " + name);
          }
          out.append(cls);
        } else if (name.length() == 1) {
          bracketLiteral(name.charAt(0), out);
        } else {
          throw invalid(ere, "unsupported collating element " + name);
        }
        i = close + 2;
        continue;
      }
      if (c == '-') {
        out.append('-');
      } else {
        bracketLiteral(c, out);
      }
      i++;
    }
    throw invalid(ere, "unterminated bracket expression");
  }

  private static void bracketLiteral(char c, StringBuilder out) {
    if ("\\[]&^".indexOf(c) >= 0) {
      out.append('\\');
    }
    out.append(c);
  }

  private static PatternSyntaxException invalid(String ere, String why) {
    return new PatternSyntaxException(why, ere, -1);
  }
}
