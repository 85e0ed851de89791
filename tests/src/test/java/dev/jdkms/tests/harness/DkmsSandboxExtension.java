package dev.jdkms.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension behind {@link DkmsTest}: installs the dkms under test ({@link DkmsUnderTest})
 * once per test class into a template sandbox, and gives every test method that declares a {@link
 * Sandbox} parameter its own copy of it (a fork of the template's state). All state lives under one
 * temporary directory per class, deleted after the class unless {@code JDKMS_IT_KEEP} is set.
 */
public final class DkmsSandboxExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(DkmsSandboxExtension.class);

  /** The per-class state: the temporary directory and the template sandbox. */
  private static final class ClassState implements AutoCloseable {
    final Path base;
    final Sandbox template;
    int forks;

    ClassState(Path base, Sandbox template) {
      this.base = base;
      this.template = template;
    }

    @Override
    public void close() {
      if (System.getenv("JDKMS_IT_KEEP") != null) {
        System.out.println("[sandbox] JDKMS_IT_KEEP: state kept in " + base);
      } else {
        Sandbox.delete(base);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    requireRoot();
    Path base;
    try {
      base =
          Files.createTempDirectory("jdkms-it-" + context.getRequiredTestClass().getSimpleName());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Sandbox template = new Sandbox(base.resolve("template"));
    ClassState state = new ClassState(base, template);
    context.getStore(NS).put(ClassState.class, state);
    DkmsUnderTest.installInto(template);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Sandbox.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // The method's store falls back to the class's, where beforeAll put the state.
    ClassState state = context.getStore(NS).get(ClassState.class, ClassState.class);
    String name = context.getRequiredTestMethod().getName() + "-" + (++state.forks);
    return state.template.fork(state.base.resolve(name));
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0"); // effective uid
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  /** The sandboxes need root; without it the tests fail with this message rather than obscurely. */
  public static void requireRoot() {
    if (!isRoot()) {
      throw new AssertionError(
          "the integration tests need root (mount namespaces, overlayfs): run `sudo ./run test`");
    }
  }
}
