package dev.jdkms.core.kabi;

import java.util.List;

/**
 * The outcome of one rule for one module and kernel, with the evidence for it.
 *
 * @param evidence what was compared; for a failure, every offending item
 */
public record Finding(Rule rule, Outcome outcome, String summary, List<Evidence> evidence) {
  /** PASS, FAIL, or UNKNOWN when the data needed to decide is missing. */
  public enum Outcome {
    PASS,
    FAIL,
    UNKNOWN
  }

  /**
   * One compared item: {@code subject} (a symbol, a field), the module's value, the kernel's value,
   * and a note (where the kernel's value came from, what the kernel would say).
   */
  public record Evidence(String subject, String module, String kernel, String note) {}

  public Finding {
    evidence = List.copyOf(evidence);
  }

  static Finding pass(Rule rule, String summary, Evidence... evidence) {
    return new Finding(rule, Outcome.PASS, summary, List.of(evidence));
  }

  static Finding fail(Rule rule, String summary, List<Evidence> evidence) {
    return new Finding(rule, Outcome.FAIL, summary, evidence);
  }

  static Finding fail(Rule rule, String summary, Evidence... evidence) {
    return new Finding(rule, Outcome.FAIL, summary, List.of(evidence));
  }

  static Finding unknown(Rule rule, String summary, Evidence... evidence) {
    return new Finding(rule, Outcome.UNKNOWN, summary, List.of(evidence));
  }
}
