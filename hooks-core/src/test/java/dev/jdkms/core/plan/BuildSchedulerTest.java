package dev.jdkms.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.exec.MakeTurn;
import dev.jdkms.core.plan.BuildSteps.Built;
import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.plan.UnitOutcome.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor with real makes: the job budget, console order, failures and dependencies. */
class BuildSchedulerTest {
  @TempDir Path dir;

  /** Each target of this Makefile counts the jobs running at that moment, across all makes. */
  private Path makefile(int targets, String sleep) throws IOException {
    Path d = Files.createTempDirectory(dir, "mk");
    StringBuilder all = new StringBuilder("all:");
    for (int i = 0; i < targets; i++) {
      all.append(" t").append(i);
    }
    String counter = dir.resolve("count").toString();
    String max = dir.resolve("max").toString();
    Files.writeString(
        d.resolve("Makefile"),
        all
            + "\nt%:\n"
            + "\t@flock "
            + counter
            + ".lock sh -c 'n=$$(cat "
            + counter
            + " 2>/dev/null || echo 0); echo $$((n+1)) > "
            + counter
            + "; echo $$((n+1)) >> "
            + max
            + "'; sleep "
            + sleep
            + "; flock "
            + counter
            + ".lock sh -c 'echo $$(($$(cat "
            + counter
            + ")-1)) > "
            + counter
            + "'\n");
    return d;
  }

  private int maxJobs() throws IOException {
    return Files.readAllLines(dir.resolve("max")).stream()
        .mapToInt(Integer::parseInt)
        .max()
        .orElse(0);
  }

  /** Steps that build with a real make (-j8 on its command line, as upstream passes -jN). */
  private class MakeSteps implements BuildSteps {
    final Map<String, Path> makefiles;
    final Set<String> failing;
    final List<String> installOrder = Collections.synchronizedList(new ArrayList<>());
    final List<String> makeStarts = Collections.synchronizedList(new ArrayList<>());

    /** Each module's {@link #estimate} (0 when absent). */
    final Map<String, Long> sizes = new java.util.HashMap<>();

    MakeSteps(Map<String, Path> makefiles, Set<String> failing) {
      this.makefiles = makefiles;
      this.failing = failing;
    }

    @Override
    public void prepare(KernelJob job, Console console)
        throws dev.jdkms.core.session.DkmsException {
      console.println("prepare " + job.kernel());
    }

    @Override
    public Built build(
        KernelJob job, Unit unit, Console console, Map<String, String> env, MakeTurn turn) {
      console.println("build " + unit + " " + job.kernel());
      console.errln("stderr of " + unit);
      try {
        beforeMake(unit, turn);
        int rc;
        try (MakeTurn.Held held = turn.take()) {
          makeStarts.add(unit + "@" + job.kernel());
          rc =
              new CommandRunner(console, false)
                  .run(
                      new CommandRunner.Invocation(
                          "make -j8 -s -C "
                              + makefiles.get(unit.module())
                              + " all"
                              + (failing.contains(unit.module()) ? " && false" : ""),
                          "Building module(s)",
                          null,
                          false,
                          false,
                          null,
                          ChildEnvironment.of(System.getenv()).with(env)));
        }
        int status = rc;
        return () -> status == 0 ? 0 : 10;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public long estimate(Unit unit) {
      return sizes.getOrDefault(unit.module(), 0L);
    }

    /** Work a build does before its make (copying, patching). */
    void beforeMake(Unit unit, MakeTurn turn) throws InterruptedException {}

    @Override
    public int install(KernelJob job, Unit unit, Optional<Built> built, Console console) {
      installOrder.add(unit + "@" + job.kernel());
      console.println("install " + unit + " " + job.kernel());
      return unit.excluded() ? 77 : 0;
    }

    @Override
    public void before(KernelJob job, Unit unit, Console console) {
      console.println("== " + unit + " " + job.kernel());
    }

    @Override
    public void after(KernelJob job, Unit unit, int status, Console console) {
      console.println("");
    }
  }

  private static Unit unit(String m, String... deps) {
    return new Unit(m, "1", List.of(deps), false, false);
  }

  private static KernelJob job(String k, List<Unit> units, Set<String> installed) {
    Set<String> known = new java.util.HashSet<>(installed);
    units.forEach(u -> known.add(u.module()));
    return new KernelJob(k, "x86_64", units, installed, known, List.of());
  }

  private List<KernelOutcome> run(
      int budget, List<KernelJob> jobs, BuildSteps steps, ByteArrayOutputStream out)
      throws IOException {
    try (Jobserver js = Jobserver.start(dir.resolve("tmp"), budget)) {
      BuildScheduler ex = new BuildScheduler(js, dir.resolve("tmp"), null);
      List<KernelOutcome> o = ex.run(jobs, steps, Console.of(out, out));
      assertThat(js.available()).as("every token is back").isEqualTo(budget);
      return o;
    }
  }

  @Test
  void allMakesTogetherNeverRunMoreJobsThanTheBudget() throws Exception {
    Map<String, Path> mk = new java.util.HashMap<>();
    for (String m : List.of("a", "b", "c", "d")) {
      mk.put(m, makefile(6, "0.3"));
    }
    MakeSteps steps = new MakeSteps(mk, Set.of());
    List<Unit> units = List.of(unit("a"), unit("b"), unit("c"), unit("d"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long start = System.nanoTime();
    List<KernelOutcome> o =
        run(3, List.of(job("k1", units, Set.of()), job("k2", units, Set.of())), steps, out);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(o)
        .allSatisfy(k -> assertThat(k.units()).allMatch(u -> u.result() == Result.INSTALLED));
    // 8 builds x 6 jobs x 0.3 s = 14.4 job-seconds; with 3 slots at least 4.8 s.
    assertThat(maxJobs()).isEqualTo(3);
    assertThat(millis).isLessThan(12_000);
    // Installs run in order per kernel (kernels install side by side).
    for (String k : List.of("k1", "k2")) {
      assertThat(steps.installOrder.stream().filter(x -> x.endsWith("@" + k)))
          .containsExactly("a/1@" + k, "b/1@" + k, "c/1@" + k, "d/1@" + k);
    }
  }

  @Test
  void consoleOutputIsInUnitOrderWhateverFinishesFirst() throws Exception {
    Map<String, Path> mk =
        Map.of("slow", makefile(1, "1.5"), "fast", makefile(1, "0.1"), "mid", makefile(1, "0.5"));
    MakeSteps steps = new MakeSteps(mk, Set.of());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    run(
        4,
        List.of(job("k1", List.of(unit("slow"), unit("fast"), unit("mid")), Set.of())),
        steps,
        out);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "prepare k1\n"
                + "== slow/1 k1\nbuild slow/1 k1\nstderr of slow/1\nBuilding module(s)... done.\ninstall slow/1 k1\n\n"
                + "== fast/1 k1\nbuild fast/1 k1\nstderr of fast/1\nBuilding module(s)... done.\ninstall fast/1 k1\n\n"
                + "== mid/1 k1\nbuild mid/1 k1\nstderr of mid/1\nBuilding module(s)... done.\ninstall mid/1 k1\n\n");
  }

  @Test
  void theBiggestBuildsMakeFirstEvenWhenASmallerOneIsReadyEarlier() throws Exception {
    Map<String, Path> mk = new java.util.HashMap<>();
    for (String m : List.of("big", "mid", "small")) {
      mk.put(m, makefile(1, "0.3"));
    }
    MakeSteps steps =
        new MakeSteps(mk, Set.of()) {
          @Override
          void beforeMake(Unit unit, MakeTurn turn) throws InterruptedException {
            // the big build copies a large tree: the mid one reaches its make long before it
            if (unit.module().equals("big")) {
              Thread.sleep(600);
            }
          }
        };
    steps.sizes.putAll(Map.of("big", 300L, "mid", 200L, "small", 100L));
    List<Unit> units = List.of(unit("small"), unit("mid"), unit("big"));
    // budget 1: one make at a time; all three builds are under way, big still copying
    List<KernelOutcome> o =
        run(1, List.of(job("k1", units, Set.of())), steps, new ByteArrayOutputStream());
    assertThat(o.get(0).units()).allMatch(u -> u.result() == Result.INSTALLED);
    assertThat(steps.makeStarts).containsExactly("big/1@k1", "mid/1@k1", "small/1@k1");
    assertThat(maxJobs()).isEqualTo(1);
  }

  @Test
  void aBigBuildRunningItsPreBuildScriptDoesNotHoldUpSmallerMakes() throws Exception {
    Map<String, Path> mk = Map.of("big", makefile(1, "0.1"), "small", makefile(1, "0.1"));
    MakeSteps steps =
        new MakeSteps(mk, Set.of()) {
          @Override
          void beforeMake(Unit unit, MakeTurn turn) throws InterruptedException {
            if (unit.module().equals("big")) {
              turn.commandsFirst(); // a configure script that runs a while
              Thread.sleep(1500);
            }
          }
        };
    steps.sizes.putAll(Map.of("big", 2L, "small", 1L));
    List<KernelOutcome> o =
        run(
            2,
            List.of(job("k1", List.of(unit("big"), unit("small")), Set.of())),
            steps,
            new ByteArrayOutputStream());
    assertThat(o.get(0).units()).allMatch(u -> u.result() == Result.INSTALLED);
    assertThat(steps.makeStarts).containsExactly("small/1@k1", "big/1@k1");
  }

  @Test
  void aBuildThatFailsBeforeItsMakeDoesNotHoldUpTheOthers() throws Exception {
    Map<String, Path> mk = Map.of("big", makefile(1, "0.05"), "small", makefile(1, "0.05"));
    MakeSteps steps =
        new MakeSteps(mk, Set.of()) {
          @Override
          public Built build(
              KernelJob job, Unit unit, Console console, Map<String, String> env, MakeTurn turn) {
            if (!unit.module().equals("big")) {
              return super.build(job, unit, console, env, turn);
            }
            try {
              Thread.sleep(300);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            console.println("PRE_BUILD failed");
            return () -> 10;
          }
        };
    steps.sizes.putAll(Map.of("big", 2L, "small", 1L));
    List<KernelOutcome> o =
        run(
            1,
            List.of(job("k1", List.of(unit("small"), unit("big")), Set.of())),
            steps,
            new ByteArrayOutputStream());
    assertThat(o.get(0).units())
        .extracting(u -> u.unit().module() + ":" + u.result())
        .containsExactly("small:INSTALLED", "big:BUILD_FAILED");
    assertThat(steps.makeStarts).containsExactly("small/1@k1");
  }

  @Test
  void aFailureStopsOnlyItselfAndWhatDependsOnIt() throws Exception {
    Map<String, Path> mk = new java.util.HashMap<>();
    for (String m : List.of("base", "user", "other", "late", "bad", "self", "x", "y")) {
      mk.put(m, makefile(1, "0.05"));
    }
    MakeSteps steps = new MakeSteps(mk, Set.of("bad"));
    List<Unit> units =
        List.of(
            unit("user", "base"),
            unit("bad"),
            unit("late", "bad"),
            unit("base"),
            unit("other", "gone"),
            unit("x", "y"),
            unit("y", "x"),
            new Unit("skipme", "1", List.of(), true, true),
            unit("after", "skipme"));
    mk.put("after", makefile(1, "0.05"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    KernelJob j = job("k1", units, Set.of());
    j = new KernelJob("k1", "x86_64", units, Set.of(), minus(j.known(), "gone"), List.of());
    KernelOutcome o = run(2, List.of(j), steps, out).get(0);
    List<String> summary = new ArrayList<>();
    for (UnitOutcome u : o.units()) {
      summary.add(
          u.unit().module() + ":" + u.result() + (u.waitingFor().isEmpty() ? "" : u.waitingFor()));
    }
    assertThat(summary)
        .containsExactly(
            "bad:BUILD_FAILED",
            "base:INSTALLED",
            "skipme:SKIPPED",
            "user:INSTALLED",
            "after:INSTALLED",
            "late:MISSING_DEPENDENCIES[bad]",
            "other:DEFERRED[gone]",
            "x:MISSING_DEPENDENCIES[y]",
            "y:MISSING_DEPENDENCIES[x]");
    assertThat(o.failed()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("(bad exit status: 1)");
  }

  private static Set<String> minus(Set<String> s, String x) {
    Set<String> c = new java.util.HashSet<>(s);
    c.remove(x);
    return c;
  }

  @Test
  void aFailedPreparationStopsTheKernelAtItsFirstBuild() throws Exception {
    Map<String, Path> mk = Map.of("a", makefile(1, "0.05"));
    MakeSteps steps =
        new MakeSteps(mk, Set.of()) {
          @Override
          public void prepare(KernelJob job, Console console)
              throws dev.jdkms.core.session.DkmsException {
            console.println("checking headers");
            throw dev.jdkms.core.session.DkmsException.die(21, "no headers");
          }
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    KernelOutcome o =
        run(
                2,
                List.of(
                    job(
                        "k1",
                        List.of(new Unit("done", "1", List.of(), true, false), unit("a")),
                        Set.of())),
                steps,
                out)
            .get(0);
    assertThat(o.preparationFailure()).isPresent();
    assertThat(o.units())
        .extracting(UnitOutcome::result)
        .containsExactly(Result.INSTALLED, Result.NOT_RUN);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("== done/1 k1\ninstall done/1 k1\n\nchecking headers\n");
  }
}
