package dev.jdkms.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.exec.MakeTurn;
import dev.jdkms.core.host.HostMemory;
import dev.jdkms.core.plan.BuildSteps.Built;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.plan.UnitOutcome.Result;
import dev.jdkms.core.testutil.FakeHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory budget: estimates, the serial fallback, and an executor on a fake host whose
 * /proc/meminfo leaves room for one build at a time, with real processes.
 */
class MemoryBudgetTest {
  private static final long MIB = 1024 * 1024;
  @TempDir Path dir;

  private static MemoryBudget budget(long availableMib) {
    return MemoryBudget.of(new HostMemory(availableMib * MIB, "MemAvailable"));
  }

  @Test
  void anUnknownModuleIsEstimatedAtTheDefaultAndARecordedOneAtItsPeakPlusAMargin() {
    MemoryBudget b = budget(8192);
    assertThat(b.estimate(0)).isEqualTo(MemoryBudget.DEFAULT_BUILD_BYTES);
    assertThat(b.estimate(400 * MIB)).isEqualTo(500 * MIB);
    // a record of a few KiB is not a real build's process tree
    assertThat(b.estimate(4096)).isEqualTo(40 * MIB);
  }

  @Test
  void buildsStartWhileTheirEstimatesFitAndOneAlwaysRuns() {
    MemoryBudget b = budget(2000);
    assertThat(b.serial()).isFalse();
    assertThat(b.forBuilds()).as("half: the rest is the page cache's").isEqualTo(1000 * MIB);
    assertThat(b.admits(0, 3000 * MIB, 0)).as("alone, even when too big").isTrue();
    assertThat(b.admits(500 * MIB, 500 * MIB, 1)).isTrue();
    assertThat(b.admits(500 * MIB, 501 * MIB, 1)).isFalse();
  }

  @Test
  void belowTwoDefaultBuildsOfMemoryBuildsRunOneAtATimeAndTheNoticeSaysWhy() {
    MemoryBudget small = budget(900);
    assertThat(small.serial()).isTrue();
    assertThat(small.admits(0, 10 * MIB, 0)).isTrue();
    assertThat(small.admits(10 * MIB, 10 * MIB, 1)).isFalse();
    assertThat(small.serialNotice())
        .isEqualTo(
            "jdkms: 900 MiB of memory available (MemAvailable), less than 1024 MiB:"
                + " building one module at a time.");
    assertThat(MemoryBudget.unlimited().serial()).isFalse();
  }

  /** Steps whose builds run a real command and count how many run at once. */
  private static final class CountingSteps implements BuildSteps {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final long recordedPeak;
    final Map<String, Long> measured = new ConcurrentHashMap<>();

    CountingSteps(long recordedPeak) {
      this.recordedPeak = recordedPeak;
    }

    @Override
    public void prepare(KernelJob job, Console console) {}

    @Override
    public Built build(
        KernelJob job, Unit unit, Console console, Map<String, String> env, MakeTurn turn) {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
      try {
        int rc =
            new CommandRunner(console, false)
                .run(
                    new CommandRunner.Invocation(
                        "sleep 1.2",
                        "Building module(s)",
                        null,
                        false,
                        false,
                        null,
                        ChildEnvironment.of(System.getenv()).with(env)));
        return () -> rc;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        now.decrementAndGet();
      }
    }

    @Override
    public long recordedPeakBytes(Unit unit) {
      return recordedPeak;
    }

    @Override
    public void measured(KernelJob job, Unit unit, Built built, long peakBytes) {
      measured.put(unit.module() + "@" + job.kernel(), peakBytes);
    }

    @Override
    public int install(KernelJob job, Unit unit, Optional<Built> built, Console console) {
      return 0;
    }

    @Override
    public void before(KernelJob job, Unit unit, Console console) {}

    @Override
    public void after(KernelJob job, Unit unit, int status, Console console) {}
  }

  private List<KernelOutcome> run(FakeHost host, CountingSteps steps, ByteArrayOutputStream err)
      throws IOException {
    List<Unit> units =
        List.of(
            new Unit("a", "1", List.of(), false, false),
            new Unit("b", "1", List.of(), false, false),
            new Unit("c", "1", List.of(), false, false));
    Set<String> known = Set.of("a", "b", "c");
    KernelJob job = new KernelJob("k1", "x86_64", units, Set.of(), known, List.of());
    MemoryBudget memory = MemoryBudget.of(HostMemory.read(host.paths));
    try (Jobserver js = Jobserver.start(dir.resolve("tmp"), 4)) {
      return BuildScheduler.withMemory(
              js, dir.resolve("tmp"), null, memory, dev.jdkms.core.host.HostPaths.REAL)
          .run(List.of(job), steps, Console.of(new ByteArrayOutputStream(), err));
    }
  }

  @Test
  void buildsThatDoNotFitTwiceInTheFakeHostsMemoryRunOneAtATime() throws Exception {
    FakeHost host = new FakeHost(dir.resolve("host"), "6.1.0-1-amd64");
    // 1.5 GiB available; each build recorded a 500 MiB peak (625 MiB with the margin): two fit in
    // what is available, not in the half of it that builds may take
    host.meminfo(1536 * 1024);
    CountingSteps steps = new CountingSteps(500 * MIB);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<KernelOutcome> o = run(host, steps, err);
    assertThat(o.get(0).units()).allMatch(u -> u.result() == Result.INSTALLED);
    assertThat(steps.most.get()).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "jdkms: b/1 for k1 waits for memory: it needs about 625 MiB, the builds under way"
                + " hold 625 MiB, and builds may take 768 MiB together (half of the 1536 MiB"
                + " available).\n");
  }

  @Test
  void withRoomForAllTheBuildsRunSideBySideAndEachOnesPeakIsMeasured() throws Exception {
    FakeHost host = new FakeHost(dir.resolve("host"), "6.1.0-1-amd64");
    host.meminfo(16 * 1024 * 1024);
    CountingSteps steps = new CountingSteps(0);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    run(host, steps, err);
    assertThat(steps.most.get()).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    // bash and sleep: a few MiB each, seen by the sampler through the build's variable
    assertThat(steps.measured).hasSize(3);
    assertThat(steps.measured.values()).allSatisfy(p -> assertThat(p).isBetween(MIB, 256 * MIB));
  }

  @Test
  void aCgroupLimitOnTheFakeHostRestrictsAsMemAvailableWould() throws Exception {
    FakeHost host = new FakeHost(dir.resolve("host"), "6.1.0-1-amd64");
    host.meminfo(16 * 1024 * 1024);
    host.cgroupV2("/system.slice/apt.service", Long.toString(1100 * MIB), 100 * MIB, 0);
    CountingSteps steps = new CountingSteps(0);
    run(host, steps, new ByteArrayOutputStream());
    // 1000 MiB of room: serial (less than two default builds)
    assertThat(steps.most.get()).isEqualTo(1);
    assertThat(Files.exists(host.paths.meminfo())).isTrue();
  }
}
