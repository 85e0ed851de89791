package dev.jdkms.core.conf;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** bash's {@code [[ s =~ ERE ]]}, translated to java.util.regex (POSIX classes included). */
public final class BashRegex {
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
    return ere.replace("[:alpha:]", "\\p{Alpha}")
        .replace("[:digit:]", "\\p{Digit}")
        .replace("[:alnum:]", "\\p{Alnum}")
        .replace("[:upper:]", "\\p{Upper}")
        .replace("[:lower:]", "\\p{Lower}")
        .replace("[:space:]", "\\s")
        .replace("[:xdigit:]", "\\p{XDigit}")
        .replace("[:punct:]", "\\p{Punct}");
  }
}
