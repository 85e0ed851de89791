package dev.jdkms.core.kabi;

import java.util.List;

/** Human-readable and JSON renderings of verdicts (the JSON has a fixed, documented shape). */
public final class VerdictFormat {
  /** How many evidence items per rule the text form shows before summarising the rest. */
  private static final int TEXT_EVIDENCE = 10;

  private VerdictFormat() {}

  /**
   * Text: one headline per module ({@code name (built for A) on B:
   * compatible|incompatible|unknown}) and, unless {@code verbose}, only the rules that did not
   * pass, each with its evidence.
   */
  public static String text(List<Verdict> verdicts, boolean verbose) {
    StringBuilder b = new StringBuilder();
    for (Verdict v : verdicts) {
      b.append(v.module())
          .append(" (")
          .append(v.source())
          .append(", built for ")
          .append(v.builtFor().isEmpty() ? "unknown kernel" : v.builtFor())
          .append(") on ")
          .append(v.kernel())
          .append(": ")
          .append(v.status().name().toLowerCase(java.util.Locale.ROOT))
          .append('\n');
      for (Finding f : v.findings()) {
        if (f.outcome() == Finding.Outcome.PASS && !verbose) {
          continue;
        }
        b.append("  [")
            .append(f.outcome())
            .append("] rule ")
            .append(f.rule().number())
            .append(' ')
            .append(f.rule().id())
            .append(": ")
            .append(f.summary())
            .append('\n');
        int shown = 0;
        for (Finding.Evidence e : f.evidence()) {
          if (shown++ == TEXT_EVIDENCE && !verbose) {
            b.append("      ... and ")
                .append(f.evidence().size() - TEXT_EVIDENCE)
                .append(" more (--json lists all)\n");
            break;
          }
          b.append("      ").append(e.subject()).append(": module ").append(orUnknown(e.module()));
          b.append(", kernel ").append(orUnknown(e.kernel()));
          if (!e.note().isEmpty()) {
            b.append(" (").append(e.note()).append(')');
          }
          b.append('\n');
        }
      }
    }
    return b.toString();
  }

  /**
   * JSON: {@code {"kernel":B,"verdicts":[{"module","source","built_for","kernel","status",
   * "findings":[{"rule","number","outcome","summary","evidence":[{"subject","module","kernel",
   * "note"}]}]}]}}; status and outcome are lower case.
   */
  public static String json(String kernel, List<Verdict> verdicts) {
    StringBuilder b =
        new StringBuilder("{\"kernel\":").append(str(kernel)).append(",\"verdicts\":[");
    for (int i = 0; i < verdicts.size(); i++) {
      Verdict v = verdicts.get(i);
      b.append(i == 0 ? "" : ",")
          .append("{\"module\":")
          .append(str(v.module()))
          .append(",\"source\":")
          .append(str(v.source()))
          .append(",\"built_for\":")
          .append(str(v.builtFor()))
          .append(",\"kernel\":")
          .append(str(v.kernel()))
          .append(",\"status\":")
          .append(str(v.status().name().toLowerCase(java.util.Locale.ROOT)))
          .append(",\"findings\":[");
      for (int j = 0; j < v.findings().size(); j++) {
        Finding f = v.findings().get(j);
        b.append(j == 0 ? "" : ",")
            .append("{\"rule\":")
            .append(str(f.rule().id()))
            .append(",\"number\":")
            .append(f.rule().number())
            .append(",\"outcome\":")
            .append(str(f.outcome().name().toLowerCase(java.util.Locale.ROOT)))
            .append(",\"summary\":")
            .append(str(f.summary()))
            .append(",\"evidence\":[");
        for (int k = 0; k < f.evidence().size(); k++) {
          Finding.Evidence e = f.evidence().get(k);
          b.append(k == 0 ? "" : ",")
              .append("{\"subject\":")
              .append(str(e.subject()))
              .append(",\"module\":")
              .append(str(e.module()))
              .append(",\"kernel\":")
              .append(str(e.kernel()))
              .append(",\"note\":")
              .append(str(e.note()))
              .append('}');
        }
        b.append("]}");
      }
      b.append("]}");
    }
    return b.append("]}").toString();
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "?" : s;
  }

  /** A JSON string literal. */
  static String str(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
