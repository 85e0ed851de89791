package dev.jdkms.core.exec;

/**
 * A build's place in line for running its make command. Under a shared job budget every make takes
 * a token for its first job, and which waiting make gets a freed token is chance; a turn lets the
 * scheduler decide instead (the longest build first, so the run does not end on one long make
 * alone). {@link #NONE} for builds that nothing schedules.
 */
@FunctionalInterface
public interface MakeTurn {
  MakeTurn NONE = () -> () -> {};

  /** Waits until this build's make may start; the make runs while the result is open. */
  Held take() throws InterruptedException;

  /**
   * The build runs commands of its own before its make (patches, PRE_BUILD: a configure script can
   * take minutes), each holding a token: builds behind it no longer wait for its make.
   */
  default void commandsFirst() {}

  /** A make's turn, given back when it ends. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
