package dev.jdkms.hooks.debian;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.plan.Event;
import dev.jdkms.hooks.EngineResult;
import dev.jdkms.hooks.EngineResult.Failure;
import dev.jdkms.hooks.Output;
import dev.jdkms.hooks.RecordingEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** common.postinst's kernel choice (dkms 3.4's rules), its events and its exit policy. */
class CommonPostinstTest {
  private static final String RUNNING = "6.1.0-55-amd64";
  private static final String NEWEST = "6.1.0-56-amd64";
  @TempDir Path root;
  private final Output output = new Output();
  private RecordingEngine engine;
  private final List<String> loaded = new ArrayList<>();

  @BeforeEach
  void setUp() {
    engine = new RecordingEngine(root);
  }

  private void kernel(String k, boolean image, boolean headers) throws IOException {
    Files.createDirectories(root.resolve("lib/modules/" + k));
    if (headers) {
      Files.createDirectories(root.resolve("lib/modules/" + k + "/build/include"));
    }
    if (image) {
      Files.createDirectories(root.resolve("boot"));
      Files.writeString(root.resolve("boot/config-" + k), "");
    }
  }

  private int postinst(String running, String... args) throws IOException {
    CommonPostinst.TarballLoader loader =
        new CommonPostinst.TarballLoader() {
          @Override
          public int remove(String module, String version) {
            loaded.add("remove " + module + "/" + version);
            return 0;
          }

          @Override
          public int load(Path tarball) {
            loaded.add("load " + tarball.getFileName());
            return 0;
          }
        };
    return new CommonPostinst(engine, output.console, loader, root.resolve("etc/dkms"), running)
        .run(List.of(args));
  }

  private List<Event> events() {
    return engine.requests.get(0).events();
  }

  @Test
  void theRunningAndTheNewestKernelGetTheModule() throws IOException {
    kernel(RUNNING, true, true);
    kernel(NEWEST, true, true);
    kernel("6.1.0-50-amd64", true, true);
    assertThat(postinst(RUNNING, "hello", "1.0", "/usr/share/hello-dkms", "", "")).isZero();
    assertThat(events())
        .containsExactly(new Event.ModuleAddedFor("hello", "1.0", List.of(RUNNING, NEWEST)));
    assertThat(output.stdout())
        .contains("dkms: hello/1.0: kernel(s) " + RUNNING + " " + NEWEST + "\n");
  }

  @Test
  void autoinstallAllKernelsTakesEveryKernelWithHeaders() throws IOException {
    kernel(RUNNING, true, true);
    kernel(NEWEST, false, true);
    kernel("6.1.0-50-amd64", true, false);
    engine.settings.put("autoinstall_all_kernels", "y");
    postinst(RUNNING, "hello", "1.0");
    assertThat(events())
        .containsExactly(new Event.ModuleAddedFor("hello", "1.0", List.of(RUNNING, NEWEST)));
  }

  @Test
  void inAChrootEveryKernelWithHeadersOrOnlyTheNewestOnAnUpgrade() throws IOException {
    kernel(RUNNING, true, true);
    kernel(NEWEST, true, true);
    postinst("5.10.0-chroot", "hello", "1.0");
    assertThat(events())
        .containsExactly(new Event.ModuleAddedFor("hello", "1.0", List.of(RUNNING, NEWEST)));
    assertThat(output.stdout()).contains("is not installed here (a chroot or a build host?)");
    postinst("5.10.0-chroot", "hello", "1.0", "", "", "0.9");
    assertThat(engine.requests.get(1).events())
        .containsExactly(new Event.ModuleAddedFor("hello", "1.0", List.of(NEWEST)));
  }

  @Test
  void aRegisteredVersionIsRebuiltInOnePlan() throws IOException {
    kernel(RUNNING, true, true);
    Files.createDirectories(root.resolve("var/lib/dkms/hello/1.0"));
    postinst(RUNNING, "hello", "1.0");
    assertThat(events())
        .containsExactly(
            new Event.ModuleRemoved("hello", "1.0"),
            new Event.ModuleAddedFor("hello", "1.0", List.of(RUNNING)));
  }

  @Test
  void aTarballIsLoadedFirst() throws IOException {
    kernel(RUNNING, true, true);
    Files.createDirectories(root.resolve("var/lib/dkms/hello/1.0"));
    Path share = Files.createDirectories(root.resolve("usr/share/hello-dkms"));
    Files.writeString(share.resolve("hello-1.0.dkms.tar.gz"), "");
    postinst(RUNNING, "hello", "1.0", share.toString());
    assertThat(loaded).containsExactly("remove hello/1.0", "load hello-1.0.dkms.tar.gz");
    assertThat(events())
        .containsExactly(new Event.ModuleAddedFor("hello", "1.0", List.of(RUNNING)));
  }

  @Test
  void kernelsWithoutHeadersAndBootVariantsAreSaidAndSkipped() throws IOException {
    kernel(RUNNING, true, false);
    kernel("6.1.0-56-BOOT", true, true);
    postinst(RUNNING, "hello", "1.0");
    assertThat(events()).containsExactly(new Event.ModuleAddedFor("hello", "1.0", List.of()));
    assertThat(output.stdout())
        .contains("dkms: kernel " + RUNNING + " has no headers: hello/1.0 is built for it when")
        .contains("dkms: 6.1.0-56-BOOT is a BOOT kernel variant: hello/1.0 is not built for it.");
  }

  @Test
  void theModuleFailingFailsThePackageOtherModulesDoNot() throws IOException {
    kernel(RUNNING, true, true);
    engine.answering(
        new EngineResult(11, List.of(Failure.of("hello/1.0", RUNNING, false)), List.of()));
    assertThat(postinst(RUNNING, "hello", "1.0")).isEqualTo(11);
    assertThat(output.stdout()).contains("dkms: hello/1.0 failed for kernel(s) " + RUNNING + ".");
    engine.answering(
        new EngineResult(11, List.of(Failure.of("other/2", RUNNING, false)), List.of()));
    assertThat(postinst(RUNNING, "hello", "1.0")).isZero();
  }

  @Test
  void noAutoinstallAndMissingArgumentsDoNothing() throws IOException {
    assertThat(postinst(RUNNING, "hello")).isEqualTo(1);
    Files.createDirectories(root.resolve("etc/dkms"));
    Files.writeString(root.resolve("etc/dkms/no-autoinstall"), "");
    assertThat(postinst(RUNNING, "hello", "1.0")).isZero();
    assertThat(engine.requests).isEmpty();
    assertThat(output.stdout())
        .contains("/etc/dkms/no-autoinstall exists: hello/1.0 is not registered");
  }
}
