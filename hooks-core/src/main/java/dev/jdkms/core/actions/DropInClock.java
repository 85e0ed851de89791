package dev.jdkms.core.actions;

import dev.jdkms.core.build.BuildClock;
import dev.jdkms.core.exec.BuildProgress;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.BuildRecord;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The clock of a build the drop-in runs itself ({@code dkms build}, {@code dkms install}), which
 * the engine's clock does not cover: it keeps the build's record (phase times; peak memory unknown,
 * 0) for later estimates, and on a terminal it says each phase and the outcome on stderr. Elsewhere
 * it prints nothing, so the console stays upstream's.
 */
final class DropInClock {
  private final Session session;
  private final String module;
  private final String version;
  private final String kernel;
  private final String arch;
  private final BuildClock clock;

  private DropInClock(
      Session session, String m, String v, String k, String a, Optional<BuildRecord> previous) {
    this.session = session;
    this.module = m;
    this.version = v;
    this.kernel = k;
    this.arch = a;
    Consumer<String> lines = session.terminal() ? session.console()::errln : l -> {};
    this.clock =
        BuildClock.start(
            m,
            v,
            k,
            previous.or(() -> BuildRecord.latestOf(BuildRecord.ofModule(session.tree(), m), v)),
            lines);
  }

  /** A build, run with the clock as the session's progress. */
  @FunctionalInterface
  interface Build {
    void run() throws DkmsException, IOException;
  }

  /**
   * Runs {@code build} timed (the time left estimated from {@code previous}, else from the
   * version's latest record in the tree), unless an engine's clock times it already (then returns
   * null): a failure is said and passed on, a success leaves its record beside make.log.
   */
  static DropInClock time(
      Session s,
      String m,
      String v,
      String k,
      String a,
      Optional<BuildRecord> previous,
      Build build)
      throws DkmsException, IOException {
    if (s.progress() != BuildProgress.NONE) {
      build.run();
      return null;
    }
    DropInClock c = new DropInClock(s, m, v, k, a, previous);
    s.setProgress(c.clock);
    try {
      build.run();
    } catch (DkmsException e) {
      c.clock.finished(
          e.exitCode() == ExitCode.SKIPPED
              ? "skipped"
              : "build failed (exit " + e.exitCode() + ")");
      throw e;
    } catch (IOException | RuntimeException e) {
      c.clock.finished("build failed");
      throw e;
    } finally {
      s.setProgress(BuildProgress.NONE);
    }
    c.keepRecord();
    return c;
  }

  private void keepRecord() {
    try {
      clock.record(0).writeTo(session.tree().builtDir(module, version, kernel, arch));
    } catch (IOException | RuntimeException e) {
      // a record is only a hint for the next build: losing it changes no outcome
    }
  }

  /** A build that is not installed next is done. */
  void built() {
    clock.finished("built");
  }

  /** The install after the build begins. */
  void installing() {
    clock.enter(BuildProgress.Phase.INSTALL);
  }

  /** The install after the build ended with {@code status}. */
  void installed(int status) {
    clock.finished(
        status == ExitCode.SUCCESS ? "installed" : "not installed (exit " + status + ")");
  }
}
