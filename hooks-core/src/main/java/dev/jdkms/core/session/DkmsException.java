package dev.jdkms.core.session;

import java.util.List;

/**
 * A failure with upstream dkms's exit status and message lines. The lines are printed by whoever
 * ends the action, as {@code Error! ...} (or {@code Warning: ...} for {@link #isWarning()}).
 */
public class DkmsException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final List<String> lines;
  private final boolean warning;
  private final boolean printed;

  private DkmsException(int exitCode, List<String> lines, boolean warning, boolean printed) {
    super(lines.isEmpty() ? "exit " + exitCode : String.join(" ", lines));
    this.exitCode = exitCode;
    this.lines = List.copyOf(lines);
    this.warning = warning;
    this.printed = printed;
  }

  /** upstream {@code die CODE lines...}. */
  public static DkmsException die(int exitCode, String... lines) {
    return new DkmsException(exitCode, List.of(lines), false, false);
  }

  /** upstream {@code diewarn CODE lines...}. */
  public static DkmsException dieWarn(int exitCode, String... lines) {
    return new DkmsException(exitCode, List.of(lines), true, false);
  }

  /** An exit status whose messages were already printed (a script's status, a conf error). */
  public static DkmsException silent(int exitCode) {
    return new DkmsException(exitCode, List.of(), false, true);
  }

  public int exitCode() {
    return exitCode;
  }

  public List<String> lines() {
    return lines;
  }

  public boolean isWarning() {
    return warning;
  }

  /** True when nothing is left to print. */
  public boolean isPrinted() {
    return printed || lines.isEmpty();
  }
}
