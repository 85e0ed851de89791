package dev.jdkms.hooks;

import dev.jdkms.core.console.Console;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A console whose stdout and stderr the adapters' unit tests read. */
public final class Output {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  public final Console console = Console.of(out, err);

  public String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  public String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
