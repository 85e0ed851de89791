package dev.jdkms.core.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs the C tools the tests compare against (openssl, sign-file, modinfo, make). */
final class Commands {
  static final Path SIGN_FILE = Path.of("/usr/lib/linux-kbuild-6.1/scripts/sign-file");

  private Commands() {}

  /** Runs a command and returns its combined output; fails the test if it exits non-zero. */
  static String run(Path dir, String... command) {
    Result result = exec(dir, command);
    assertThat(result.exitCode())
        .as("exit status of %s, output:%n%s", String.join(" ", command), result.output())
        .isZero();
    return result.output();
  }

  static Result exec(Path dir, String... command) {
    try {
      Process process =
          new ProcessBuilder(List.of(command))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** {@code modinfo -F field module}, without the trailing newline. */
  static String modinfo(Path module, String field) {
    return run(module.getParent(), "modinfo", "-F", field, module.toString()).strip();
  }

  /** Runs the kernel's sign-file on {@code module}, in place. */
  static void signFile(Path module, String hash, Path key, Path cert) {
    run(
        module.getParent(),
        SIGN_FILE.toString(),
        hash,
        key.toString(),
        cert.toString(),
        module.toString());
  }

  record Result(int exitCode, String output) {}
}
