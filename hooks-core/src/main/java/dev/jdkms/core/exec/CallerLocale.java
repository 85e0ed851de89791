package dev.jdkms.core.exec;

import java.util.Map;

/**
 * The caller's locale, given back to the processes jdkms starts.
 *
 * <p>The JVM decodes file names and arguments with the charset of its locale's {@code LC_CTYPE},
 * and no option changes that on JDK 17 to 25 ({@code -Dsun.jnu.encoding} is ignored). Under {@code
 * LANG=C}, the locale of kernel hooks and systemd units, a source file named {@code café.c} could
 * then not even be named. So the launchers start the JVM with {@code LC_ALL=C.UTF-8} and keep the
 * caller's {@code LC_ALL} in {@link #SAVED} ({@code set:VALUE}, or {@code unset}); make, bash and
 * the other children get it back, as upstream dkms passes its own environment on.
 */
public final class CallerLocale {
  /** Set by the launchers; never passed on to a child. */
  public static final String SAVED = "JDKMS_CALLER_LC_ALL";

  private static final String SET = "set:";

  private CallerLocale() {}

  /** Puts the caller's {@code LC_ALL} back into a child's environment {@code env} (mutable). */
  public static void restore(Map<String, String> env) {
    String saved = env.remove(SAVED);
    if (saved == null) {
      return;
    }
    if (saved.startsWith(SET)) {
      env.put("LC_ALL", saved.substring(SET.length()));
    } else {
      env.remove("LC_ALL");
    }
  }

  /** The same for a process about to be started with the JVM's own environment. */
  public static ProcessBuilder restore(ProcessBuilder pb) {
    restore(pb.environment());
    return pb;
  }
}
