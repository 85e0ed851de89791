package dev.jdkms.core.exec;

/**
 * Where a build says which phase it is in, so that the engine can show how far a long build is and
 * keep each phase's time for the next estimate. {@link #NONE} for builds nobody watches (the
 * drop-in's own actions, whose console is upstream's).
 */
@FunctionalInterface
public interface BuildProgress {
  BuildProgress NONE = phase -> {};

  /** A build's phases, in the order they come. */
  enum Phase {
    /** Patches and the PRE_BUILD script (ZFS's configure). */
    CONFIGURE,
    MAKE,
    SIGN,
    COMPRESS,
    INSTALL;

    /** The phase's name in records and progress lines. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The build enters {@code phase} (again entering the current phase changes nothing). */
  void enter(Phase phase);
}
