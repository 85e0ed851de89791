package dev.jdkms.tests.harness;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A sandbox state that several tests of one class start from, prepared once (module builds take
 * seconds) and copied for each test that asks for it, like the class's template.
 *
 * <pre>
 * private static final Prepared BUILT = new Prepared("built", b -&gt; b.setup("dkms build ..."));
 *
 * &#64;Test
 * void something(Sandbox sb) {
 *   Sandbox s = BUILT.copyFor(sb);   // sb's own state is not used
 * </pre>
 *
 * <p>The preparation is a {@link Batch} of {@link Batch#setup} steps, run on a copy of the first
 * asking test's sandbox (a fresh copy of the class's template); its state directory lies beside the
 * tests' own, so it is deleted with them. If the preparation fails, every test asking for it fails
 * with that error.
 */
public final class Prepared {
  private final String name;
  private final Consumer<Batch> preparation;
  private Sandbox ready;
  private AssertionError failure;

  /** A state called {@code name} (a directory name), made by the steps {@code preparation} adds. */
  public Prepared(String name, Consumer<Batch> preparation) {
    this.name = name;
    this.preparation = preparation;
  }

  /** A copy of the prepared state for the test whose own sandbox is {@code testSandbox}. */
  public synchronized Sandbox copyFor(Sandbox testSandbox) {
    Path own = testSandbox.stateDir();
    if (ready == null && failure == null) {
      Sandbox s = testSandbox.fork(own.resolveSibling("prepared-" + name));
      Batch b = new Batch(s);
      preparation.accept(b);
      try {
        b.run();
        ready = s;
      } catch (AssertionError e) {
        failure = new AssertionError("preparing the shared state '" + name + "' failed", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return ready.fork(own.resolveSibling(own.getFileName() + "-" + name));
  }
}
