package dev.jdkms.core.kabi;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether kernel B would load module M (built for kernel A), rule by rule. {@link #status()} is
 * {@link Status#COMPATIBLE} only when every rule passed: a rule that could not be checked makes the
 * verdict {@link Status#UNKNOWN}, and unknown is never treated as compatible.
 *
 * @param module the module's name
 * @param source where the module was read from
 * @param builtFor the release in the module's vermagic ("" when it has none)
 * @param kernel the release the module was checked against
 */
public record Verdict(
    String module, String source, String builtFor, String kernel, List<Finding> findings) {
  public enum Status {
    COMPATIBLE,
    INCOMPATIBLE,
    UNKNOWN
  }

  public Verdict {
    findings = List.copyOf(findings);
  }

  public Status status() {
    boolean unknown = false;
    for (Finding f : findings) {
      if (f.outcome() == Finding.Outcome.FAIL) {
        return Status.INCOMPATIBLE;
      }
      unknown |= f.outcome() == Finding.Outcome.UNKNOWN;
    }
    return unknown ? Status.UNKNOWN : Status.COMPATIBLE;
  }

  /** True only when every rule passed. */
  public boolean compatible() {
    return status() == Status.COMPATIBLE;
  }

  public List<Finding> failures() {
    return select(Finding.Outcome.FAIL);
  }

  public List<Finding> unknowns() {
    return select(Finding.Outcome.UNKNOWN);
  }

  public Finding finding(Rule rule) {
    for (Finding f : findings) {
      if (f.rule() == rule) {
        return f;
      }
    }
    throw new IllegalArgumentException("no finding for " + rule);
  }

  private List<Finding> select(Finding.Outcome o) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (f.outcome() == o) {
        out.add(f);
      }
    }
    return out;
  }

  /** The same verdict with a finding replaced (group decisions add to rule 7). */
  Verdict with(Finding replacement) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      out.add(f.rule() == replacement.rule() ? replacement : f);
    }
    return new Verdict(module, source, builtFor, kernel, out);
  }
}
