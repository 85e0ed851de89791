package dev.jdkms.tests.harness;

/**
 * Which {@code dkms} the tests drive, and how it gets into a sandbox.
 *
 * <p>By default jdkms, installed by {@code ./run install} (jar, launcher, /usr/sbin/dkms, start-up
 * cache) from this checkout's {@code dkms-cli/target/dkms.jar}. The environment variable {@value
 * #SETUP_ENV} replaces that with any shell command run inside the sandbox (cwd: the checkout, with
 * {@code ../shared} visible), e.g. upstream bash dkms 3.4.3:
 *
 * <pre>
 * JDKMS_IT_SETUP='tar -xzf ../shared/compat/upstream/dkms-3.4.3.tar.gz -C /tmp &amp;&amp;
 *   make -s -C /tmp/dkms-3.4.3 install-debian'
 * </pre>
 *
 * so the same tests can be checked against upstream's real behaviour.
 */
public final class DkmsUnderTest {
  /** Name of the environment variable holding an alternative install command. */
  public static final String SETUP_ENV = "JDKMS_IT_SETUP";

  private DkmsUnderTest() {}

  /** True when the tests run against jdkms (no {@value #SETUP_ENV}). */
  public static boolean isJdkms() {
    String s = System.getenv(SETUP_ENV);
    return s == null || s.isBlank();
  }

  /** The shell command that installs the implementation inside a sandbox. */
  public static String setupCommand() {
    return isJdkms() ? "'" + Repo.root().resolve("run") + "' install" : System.getenv(SETUP_ENV);
  }

  /** Installs the implementation into {@code sandbox}; fails if that fails or no dkms results. */
  public static Result installInto(Sandbox sandbox) {
    Result r =
        sandbox
            .withCwd(Repo.root().toString())
            .sh(setupCommand() + " && command -v dkms > /dev/null")
            .requireSuccess();
    return r;
  }
}
