package dev.jdkms.hooks.kernelinstall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.plan.Event;
import dev.jdkms.hooks.EngineResult;
import dev.jdkms.hooks.EngineResult.Failure;
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

/** kernel-install's protocol and exit rules (kernel-install-plugin/README.md). */
class KernelInstallPluginTest {
  private static final String K = "6.1.0-56-amd64";
  private static final String IMAGE = "/boot/vmlinuz-" + K;
  @TempDir Path root;
  private final Output output = new Output();

  private int plugin(RecordingEngine engine, Map<String, String> env, String... args) {
    return new KernelInstallPlugin(engine, output.console, env).run(List.of(args));
  }

  @Test
  void addIsAKernelAddedWithItsImage() {
    RecordingEngine engine = new RecordingEngine(root);
    assertThat(plugin(engine, Map.of(), "add", K, "/boot/entry", IMAGE)).isZero();
    assertThat(engine.requests.get(0).events())
        .containsExactly(new Event.KernelAdded(K, Optional.of(Path.of(IMAGE))));
    assertThat(engine.requests.get(0).verbose()).isFalse();
    assertThat(output.stderr()).isEmpty();
  }

  @Test
  void verboseShowsTheCommandAndAnInitrdHandedOverIsNoted() {
    RecordingEngine engine = new RecordingEngine(root);
    plugin(engine, Map.of("KERNEL_INSTALL_VERBOSE", "1"), "add", K, "/e", IMAGE, "/early.img");
    assertThat(engine.requests.get(0).verbose()).isTrue();
    assertThat(output.stderr())
        .contains("jdkms: jdkms transaction --kernel-added " + K + "=" + IMAGE + "\n")
        .contains("jdkms: note: kernel " + K + " comes with a ready-made initrd");
  }

  @Test
  void anInitrdInTheStagingAreaIsNotedToo() throws IOException {
    Files.writeString(root.resolve("initrd"), "");
    plugin(
        new RecordingEngine(root),
        Map.of("KERNEL_INSTALL_STAGING_AREA", root.toString()),
        "add",
        K,
        "/e",
        IMAGE);
    assertThat(output.stderr()).contains("comes with a ready-made initrd");
  }

  @Test
  void unknownVerbsAreNotOurs() {
    RecordingEngine engine = new RecordingEngine(root);
    assertThat(plugin(engine, Map.of(), "inspect", K)).isZero();
    assertThat(engine.requests).isEmpty();
    assertThat(plugin(engine, Map.of(), "add")).isEqualTo(2);
  }

  @Test
  void aFailedModuleNeverFailsTheInstall() {
    RecordingEngine engine =
        new RecordingEngine(root)
            .answering(new EngineResult(11, List.of(Failure.of("a/1", K, false)), List.of()));
    assertThat(plugin(engine, Map.of(), "add", K, "/e", IMAGE)).isZero();
    assertThat(output.stderr())
        .contains(
            "jdkms: WARNING: kernel "
                + K
                + ": module(s) a/1 failed (jdkms exit status 11); the kernel is\n"
                + "jdkms: installed without them.");
  }

  @Test
  void aBootCriticalFailureStopsKernelInstallButNeverWith77() {
    RecordingEngine critical =
        new RecordingEngine(root)
            .answering(new EngineResult(11, List.of(Failure.of("r/1", K, true)), List.of()));
    assertThat(plugin(critical, Map.of(), "add", K, "/e", IMAGE)).isEqualTo(11);
    assertThat(output.stderr())
        .contains("jdkms: ERROR: kernel " + K + ": boot-critical module(s) r/1 failed")
        .contains("cause run: kernel-install add " + K + " " + IMAGE);

    RecordingEngine skip =
        new RecordingEngine(root)
            .answering(new EngineResult(77, List.of(Failure.of("r/1", K, true)), List.of()));
    assertThat(plugin(skip, Map.of(), "add", K, "/e", IMAGE)).isEqualTo(1);
  }

  @Test
  void aBootCriticalFailureOnAnotherKernelIsNotThisOnes() {
    RecordingEngine engine =
        new RecordingEngine(root)
            .answering(new EngineResult(11, List.of(Failure.of("r/1", "other", true)), List.of()));
    assertThat(plugin(engine, Map.of(), "add", K, "/e", IMAGE)).isZero();
    assertThat(output.stderr()).contains("WARNING: jdkms could not handle kernel " + K);
  }

  @Test
  void removeNeverFails() {
    RecordingEngine engine = new RecordingEngine(root).answering(EngineResult.stopped(4));
    assertThat(plugin(engine, Map.of(), "remove", K, "/e")).isZero();
    assertThat(engine.requests.get(0).events()).containsExactly(new Event.KernelRemoved(K));
    assertThat(output.stderr())
        .isEqualTo(
            "jdkms: WARNING: removing the modules of kernel "
                + K
                + " failed (jdkms exit status 4).\n");
  }
}
