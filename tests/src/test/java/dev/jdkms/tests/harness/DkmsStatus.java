package dev.jdkms.tests.harness;

import java.util.regex.Pattern;

/** Lines of {@code dkms status}, as upstream 3.4.3 prints them. */
public final class DkmsStatus {
  private DkmsStatus() {}

  /** Whether {@code line} says that some version of {@code module} is installed for {@code k}. */
  public static boolean installed(String line, String module, String k) {
    return line.matches(
        Pattern.quote(module)
            + "/[^,]+, "
            + Pattern.quote(k)
            + ", "
            + Kernels.arch()
            + ": installed");
  }
}
