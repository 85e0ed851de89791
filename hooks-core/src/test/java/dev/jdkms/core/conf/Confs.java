package dev.jdkms.core.conf;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.kernel.Distribution;
import dev.jdkms.core.kernel.KernelConfig;
import dev.jdkms.core.session.ConfReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** dkms.conf text → variables (through real bash) → interpreted conf, for the conf tests. */
final class Confs {
  static final String DEFAULT_MAKE = "make -C /lib/modules/K/build M=/var/lib/dkms/m/1/build";

  private final Path dir;
  private int n;

  Confs(Path dir) {
    this.dir = dir;
  }

  /** Sources {@code text} as a dkms.conf with every variable upstream accepts. */
  ShellVariables vars(String text) {
    try {
      Path f = dir.resolve("dkms.conf." + n++);
      Files.writeString(f, text);
      return new ShellEvaluator(
              Console.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()),
              ChildEnvironment.fromProcess())
          .evaluate(List.of(f), ShellEvaluator.context(), ConfReader.ACCEPTED, false, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ConfException e) {
      throw new AssertionError(e);
    }
  }

  static DkmsConfInterpreter.Context context(String kernel, String arch, String distribution) {
    return new DkmsConfInterpreter.Context(
        kernel,
        arch,
        new Distribution(distribution),
        "",
        DEFAULT_MAKE,
        false,
        Optional.<KernelConfig>empty());
  }

  static DkmsConfInterpreter.Context context(String kernel) {
    return context(kernel, "x86_64", "alpine");
  }

  DkmsConfInterpreter.Result interpret(String text, DkmsConfInterpreter.Context ctx) {
    return DkmsConfInterpreter.interpret(vars(text), ctx);
  }

  /** A valid conf's result; fails when it has errors. */
  DkmsConf conf(String text, DkmsConfInterpreter.Context ctx) {
    DkmsConfInterpreter.Result r = interpret(text, ctx);
    if (!r.valid()) {
      throw new AssertionError("unexpected errors: " + r.errors());
    }
    return r.conf();
  }

  DkmsConf conf(String text) {
    return conf(text, context("6.1.0-9-amd64"));
  }

  static final String HEADER = "PACKAGE_NAME=m\nPACKAGE_VERSION=1\n";
  static final String ONE_MODULE = HEADER + "DEST_MODULE_LOCATION[0]=/kernel/extra\n";
}
