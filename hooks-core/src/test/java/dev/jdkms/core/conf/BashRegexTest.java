package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.Sh;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BashRegexTest {
  /** text, regex: pairs whose outcome is compared with bash's own {@code [[ text =~ regex ]]}. */
  static final String[][] CASES = {
    {"6.1.0-9-amd64", "^6\\."},
    {"5.10.0-30-amd64", "^6\\."},
    {"6.1.0-9-amd64", "amd64$"},
    {"6.1.0-9-amd64", "^6\\.1\\.0-9-amd64$"},
    {"6.10.1", "^6\\.(1|2)\\."},
    {"6.1.1", "^6\\.(1|2)\\."},
    {"x86_64", "x86_64|aarch64"},
    {"aarch64", "^(x86_64|aarch64)$"},
    {"armv7l", "^(x86_64|aarch64)$"},
    {"x86_64", "none"},
    {"6.1.0", "[[:digit:]]+\\.[[:digit:]]+"},
    {"6.x", "^[[:digit:]]\\.[[:alpha:]]$"},
    {"6.X", "^[[:digit:]]\\.[[:lower:]]$"},
    {"6.X", "^[[:digit:]]\\.[[:upper:]]$"},
    {"a b", "[[:space:]]"},
    {"a b", "^[^[:space:]]+$"},
    {"6.1-rc1", "-rc[0-9]+$"},
    {"baab", "a{2}"},
    {"bab", "a{2}"},
    {"abc", "x|"},
    {"6.1", "6.1"},
    {"601", "6.1"},
    {"6.1", ""},
    // invalid expressions never match
    {"6.1", "("},
    {"6.1", "[6"},
    {"AB", "(?i)ab"},
    // GNU escapes bash has, and escapes of ordinary letters that are just the letter
    {"5", "\\d"},
    {"d", "\\d"},
    {"a_1", "^\\w+$"},
    {"a-1", "^\\w+$"},
    {"a b", "a\\sb"},
    {"foo bar", "\\<bar"},
    {"foobar", "\\<bar"},
    {"foo bar", "foo\\>"},
    {"foobar", "foo\\>"},
    {"6.1", "^6\\.1\\b"},
    {"abab", "(ab)\\1"},
    {"6.1.0-9", "^6\\.1\\.0-[0-9]"},
    // inside brackets a backslash is an ordinary character
    {"x\\y", "x[\\.]y"},
    {"x.y", "x[\\.]y"},
    {"5", "[\\d]"},
    {"d", "[\\d]"},
    {"]", "[]a]"},
    {"a", "[^]a]"},
    {"b", "[^]a]"},
    {"a&b", "a[&]b"},
    {"a[b", "a[[]b"},
    {"a^b", "a[x^]b"},
    {"6.1-x", "^[0-9.]+-[a-z]$"},
    {"a", "[[.a.]]"},
    {"a", "[[=a=]]"},
    {"x.y", "x\\.y"},
    {"xzy", "x\\.y"},
    {"6.1", "[[:nope:]]"},
    {"a", "a\\"},
    {"a", "[a"},
    {"a-b", "^a\\-b$"},
    {"a/b", "a\\/b"},
  };

  @Test
  void matchesAgreesWithBash() {
    StringBuilder script = new StringBuilder();
    List<String> args = new ArrayList<>();
    for (String[] c : CASES) {
      int i = args.size();
      args.add(c[0]);
      args.add(c[1]);
      script
          .append("re=\"${")
          .append(i + 2)
          .append("}\"; if [[ ${")
          .append(i + 1)
          .append("} =~ $re ]]; then echo y; else echo n; fi\n");
    }
    String[] bash = Sh.bash(script.toString(), args.toArray(new String[0])).split("\n");
    assertThat(bash).hasSize(CASES.length);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < CASES.length; i++) {
      boolean expected = bash[i].equals("y");
      if (BashRegex.matches(CASES[i][0], CASES[i][1]) != expected) {
        mismatches.add(CASES[i][0] + " =~ " + CASES[i][1] + " (bash: " + expected + ")");
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void unanchoredLikeBash() {
    assertThat(BashRegex.matches("6.1.0-9-amd64", "1\\.0")).isTrue();
    assertThat(BashRegex.matches("6.1.0-9-amd64", "^1\\.0")).isFalse();
  }
}
