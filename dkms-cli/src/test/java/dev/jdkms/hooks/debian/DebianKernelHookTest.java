package dev.jdkms.hooks.debian;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.plan.Event;
import dev.jdkms.hooks.EngineResult;
import dev.jdkms.hooks.Output;
import dev.jdkms.hooks.RecordingEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian kernel hooks' translation of run-parts' arguments and DEB_MAINT_PARAMS into events.
 */
class DebianKernelHookTest {
  private static final String K = "6.1.0-56-amd64";
  @TempDir Path root;
  private final Output output = new Output();

  private int hook(RecordingEngine engine, String params, String... args) throws IOException {
    Map<String, String> env = params == null ? Map.of() : Map.of("DEB_MAINT_PARAMS", params);
    return new DebianKernelHook(engine, output.console, env).run(List.of(args));
  }

  private void headers(String kernel) throws IOException {
    Files.createDirectories(root.resolve("lib/modules/" + kernel + "/build/include"));
  }

  @Test
  void aConfiguredImageIsAKernelAddedWithItsImage() throws IOException {
    headers(K);
    RecordingEngine engine = new RecordingEngine(root);
    int rc = hook(engine, "configure ", "postinst", K, "/boot/vmlinuz-" + K);
    assertThat(rc).isZero();
    assertThat(engine.requests)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.events())
                    .containsExactly(
                        new Event.KernelAdded(K, Optional.of(Path.of("/boot/vmlinuz-" + K)))));
    assertThat(output.stdout()).isEmpty();
  }

  @Test
  void withoutHeadersNothingRunsAndTheHookSaysWhen() throws IOException {
    RecordingEngine engine = new RecordingEngine(root);
    assertThat(hook(engine, "configure ", "postinst", K, "/boot/vmlinuz-" + K)).isZero();
    assertThat(engine.requests).isEmpty();
    assertThat(output.stdout())
        .contains("dkms: kernel " + K + " has no headers (")
        .contains("when linux-headers-" + K + " is installed.");
  }

  @Test
  void withoutHeadersAModuleWhosePrebuiltPackageIsMissingIsNamed() throws IOException {
    RecordingEngine engine = new RecordingEngine(root);
    engine.prebuiltMissing = List.of("acpi-call: no prebuilt package for " + K + " (p)");
    assertThat(hook(engine, "configure ", "postinst", K, "/boot/vmlinuz-" + K)).isZero();
    assertThat(engine.requests).isEmpty();
    assertThat(output.stdout())
        .endsWith("is installed.\ndkms: acpi-call: no prebuilt package for " + K + " (p)\n");
  }

  @Test
  void headersConfiguredAreAHeadersAddedEvent() throws IOException {
    headers(K);
    RecordingEngine engine = new RecordingEngine(root);
    assertThat(hook(engine, "configure", "header_postinst", K)).isZero();
    assertThat(engine.requests.get(0).events()).containsExactly(new Event.HeadersAdded(K));
  }

  @Test
  void anInPlaceUpgradeIsNotedAtPreinstAndRebuiltAtPostinst() throws IOException {
    headers(K);
    RecordingEngine engine = new RecordingEngine(root);
    assertThat(hook(engine, "upgrade 6.1.192-2", "preinst", K, "/boot/vmlinuz-" + K)).isZero();
    assertThat(engine.requests).as("nothing is done before the new files are unpacked").isEmpty();
    hook(engine, "configure 6.1.192-2", "postinst", K, "/boot/vmlinuz-" + K);
    assertThat(engine.requests.get(0).events()).containsExactly(new Event.KernelUpgraded(K));
    // the note is used once: a later configure is a plain kernel added
    hook(engine, "configure 6.1.192-2", "postinst", K);
    assertThat(engine.requests.get(1).events())
        .containsExactly(new Event.KernelAdded(K, Optional.empty()));
  }

  @Test
  void aFirstInstallNotesNothingAtPreinst() throws IOException {
    headers(K);
    RecordingEngine engine = new RecordingEngine(root);
    hook(engine, "install", "preinst", K, "/boot/vmlinuz-" + K);
    hook(engine, "configure ", "postinst", K);
    assertThat(engine.requests.get(0).events())
        .containsExactly(new Event.KernelAdded(K, Optional.empty()));
  }

  @Test
  void aRemovalThatFailsIsAWarningNeverAFailure() throws IOException {
    RecordingEngine engine = new RecordingEngine(root).answering(EngineResult.stopped(4));
    assertThat(hook(engine, "remove", "prerm", K)).isZero();
    assertThat(engine.requests.get(0).events()).containsExactly(new Event.KernelRemoved(K));
    assertThat(output.stdout())
        .isEqualTo("dkms: WARNING: removing the modules of kernel " + K + " failed.\n");
  }

  @Test
  void postrmRemovesOnlyEmptyDirectories() throws IOException {
    Path dir = root.resolve("lib/modules/" + K);
    Files.createDirectories(dir.resolve("updates/dkms"));
    assertThat(hook(new RecordingEngine(root), "remove", "postrm", K)).isZero();
    assertThat(dir).doesNotExist();

    Path other = root.resolve("lib/modules/other");
    Files.createDirectories(other.resolve("updates/dkms"));
    Files.writeString(other.resolve("updates/dkms/x.ko"), "");
    hook(new RecordingEngine(root), "remove", "postrm", "other");
    assertThat(other.resolve("updates/dkms/x.ko")).exists();
  }

  @Test
  void aKernelWithNeitherImageNorHeadersLosesItsModules() throws IOException {
    Files.createDirectories(root.resolve("var/lib/dkms/hello/1.0/" + K + "/x86_64"));
    Files.createDirectories(root.resolve("lib/modules/" + K + "/updates"));
    headers("6.1.0-55-amd64");
    RecordingEngine engine = new RecordingEngine(root);
    assertThat(hook(engine, null, "gone")).isZero();
    assertThat(engine.requests)
        .singleElement()
        .satisfies(r -> assertThat(r.events()).containsExactly(new Event.KernelRemoved(K)));
    assertThat(root.resolve("lib/modules/" + K)).doesNotExist();
    assertThat(root.resolve("lib/modules/6.1.0-55-amd64")).exists();
  }

  @Test
  void aMissingKernelIsAUsageError() throws IOException {
    assertThat(hook(new RecordingEngine(root), null, "postinst")).isEqualTo(2);
    assertThat(hook(new RecordingEngine(root), null, "unpack", K)).isEqualTo(2);
    assertThat(output.stderr()).contains("Usage: hook debian");
  }
}
