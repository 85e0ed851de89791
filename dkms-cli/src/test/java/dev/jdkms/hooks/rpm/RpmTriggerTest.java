package dev.jdkms.hooks.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.hooks.Engine;
import dev.jdkms.hooks.EngineResult;
import dev.jdkms.hooks.Output;
import dev.jdkms.hooks.RecordingEngine;
import dev.jdkms.hooks.TransactionSpool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rpm file triggers' bookkeeping: one engine run per transaction, with what went and what came,
 * whatever order the triggers fire in (rpm-plugin/README.md); always exit 0.
 */
class RpmTriggerTest {
  @TempDir Path root;
  private final Output output = new Output();
  private RecordingEngine engine;
  private TransactionSpool spool;
  private Path vmlinuz;
  private final String image = "/usr/lib/modules/6.1.0-55-amd64/vmlinuz";

  @BeforeEach
  void setUp() throws IOException {
    engine = new RecordingEngine(root);
    spool = new TransactionSpool(root.resolve("var/lib/dkms/.jdkms-rpm"));
    vmlinuz = root.resolve(image.substring(1));
    Files.createDirectories(vmlinuz.getParent());
    Files.writeString(vmlinuz, "old");
  }

  private int trigger(String stage, String tx, String... paths) {
    return new RpmTrigger(
            engine, output.console, spool, new FileStates(root, root.resolve("var/lib/dkms")))
        .run(stage, tx, List.of(paths));
  }

  @Test
  void anInstallOnlyTransactionRunsOnceAtTheEndWithTheRelevantPaths() {
    String conf = "/usr/src/foo-1.0/dkms.conf";
    assertThat(
            trigger(
                "installed", "7", conf, "/usr/src/foo-1.0/foo.c", "/usr/src/kernels/K/Makefile"))
        .isZero();
    assertThat(engine.requests).hasSize(1);
    Engine.Request r = engine.requests.get(0);
    assertThat(r.installed()).containsExactly("/usr/lib/modules/K/build/Makefile", conf);
    assertThat(r.removed()).isEmpty();
    assertThat(spool.dir()).isEmptyDirectory();
  }

  @Test
  void anEraseWaitsForTheFinishTriggerAndPassesWhatIsGone() throws IOException {
    trigger("removing", "7", image, "/usr/src/x/y.c");
    trigger("installed", "7", "/usr/lib/modules/6.1.0-56-amd64/vmlinuz");
    assertThat(engine.requests).as("a %transfiletriggerpostun follows").isEmpty();
    Files.delete(vmlinuz);
    assertThat(trigger("finish", "7")).isZero();
    Engine.Request r = engine.requests.get(0);
    assertThat(r.installed()).containsExactly("/usr/lib/modules/6.1.0-56-amd64/vmlinuz");
    assertThat(r.removed()).containsExactly(image);
  }

  @Test
  void aNotedPathStillTheSameFileWasNotRemoved() {
    trigger("removing", "7", image);
    trigger("finish", "7");
    assertThat(engine.requests).isEmpty();
  }

  @Test
  void aPathReplacedByAnotherFileIsRemovedAndInstalled() throws IOException {
    trigger("removing", "7", image);
    // as rpm writes a file: a new one renamed over the old (a new inode, while the old exists)
    Path next = vmlinuz.resolveSibling("vmlinuz;new");
    Files.writeString(next, "new");
    Files.move(next, vmlinuz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    trigger("installed", "7", image);
    trigger("finish", "7");
    Engine.Request r = engine.requests.get(0);
    assertThat(r.installed()).containsExactly(image);
    assertThat(r.removed()).containsExactly(image);
  }

  @Test
  void anImageNewerThanItsBuildsIsRebuiltInPlace() throws IOException {
    Path built = root.resolve("var/lib/dkms/foo/1.0/6.1.0-55-amd64");
    Files.createDirectories(built);
    Files.setLastModifiedTime(built, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    trigger("installed", "7", image);
    assertThat(engine.requests.get(0).removed()).containsExactly(image);
  }

  @Test
  void jdkmsOwnEraseNotesNothing() throws IOException {
    spool.write("self.7", List.of());
    trigger("removing", "7", image);
    Files.delete(vmlinuz);
    trigger("finish", "7");
    assertThat(engine.requests).isEmpty();
  }

  @Test
  void aFailureIsSaidButNeverFailsTheTransaction() {
    engine.answering(EngineResult.stopped(11));
    assertThat(trigger("installed", "7", "/usr/src/foo-1.0/dkms.conf")).isZero();
    assertThat(output.stderr())
        .startsWith(
            "jdkms: WARNING: module(s) failed to build or install (jdkms transaction exit"
                + " status 11; see above).\n");
    engine.answering(EngineResult.stopped(4));
    assertThat(trigger("installed", "8", "/usr/src/foo-1.0/dkms.conf")).isZero();
    assertThat(output.stderr())
        .contains("jdkms: ERROR: jdkms transaction failed with exit status 4 (see above);");
  }
}
