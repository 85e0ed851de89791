package dev.jdkms.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Teardown;
import dev.jdkms.core.plan.Plan.TeardownReason;
import dev.jdkms.core.plan.Plan.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
  static final String K1 = "6.1.0-55-amd64";
  static final String K2 = "6.1.0-56-amd64";
  @TempDir Path dir;
  TempMachine m;

  @BeforeEach
  void setUp() throws Exception {
    m = new TempMachine(dir).kernel(K1, true).kernel(K2, true);
  }

  private static List<String> units(KernelJob j) {
    return j.units().stream().map(Unit::toString).toList();
  }

  @Test
  void kernelAddedInstallsTheHighestAutoinstallVersionOfEveryModule() throws Exception {
    m.added("a", "1.0").added("a", "1.10").added("a", "1.9").added("b", "2");
    m.added("manual", "1").recipe("manual", "1", new Recipe(false, false, List.of()));
    Plan p = m.plan(new Event.KernelAdded(K2, Optional.empty()));
    assertThat(p.jobs()).hasSize(1);
    KernelJob j = p.jobs().get(0);
    assertThat(j.kernel()).isEqualTo(K2);
    assertThat(units(j)).containsExactly("a/1.10", "b/2");
    assertThat(j.units()).allMatch(u -> !u.built());
    assertThat(p.touchedKernels()).containsExactly(K2);
  }

  @Test
  void replayingAKernelEventAfterTheWorkIsDonePlansNothing() throws Exception {
    m.added("a", "1").installed("a", "1", K2).added("b", "1").built("b", "1", K2);
    Plan p = m.plan(new Event.KernelAdded(K2, Optional.empty()));
    assertThat(units(p.jobs().get(0))).containsExactly("b/1");
    assertThat(p.jobs().get(0).units().get(0).built()).isTrue();
    assertThat(p.jobs().get(0).installed()).containsExactly("a");
    m.installed("b", "1", K2);
    assertThat(m.plan(new Event.KernelAdded(K2, Optional.empty())).isEmpty()).isTrue();
  }

  @Test
  void anOlderInstalledVersionIsReplacedByTheNewest() throws Exception {
    m.added("a", "1").installed("a", "1", K1).added("a", "2");
    Plan p = m.plan(new Event.BootCatchUp(K1));
    assertThat(units(p.jobs().get(0))).containsExactly("a/2");
  }

  @Test
  void noAutoinstallHoldsBuildsButNotTeardowns() throws Exception {
    Files.writeString(m.etc.resolve("no-autoinstall"), "");
    m.added("a", "1").installed("a", "1", K1);
    Plan p = m.plan(new Event.KernelAdded(K2, Optional.empty()), new Event.KernelRemoved(K1));
    assertThat(p.jobs()).isEmpty();
    assertThat(p.teardowns())
        .containsExactly(new Teardown("a", "1", K1, "x86_64", TeardownReason.KERNEL_REMOVED));
    assertThat(p.notes()).anyMatch(n -> n.contains("no-autoinstall"));
  }

  @Test
  void aKernelWithoutHeadersWaitsForItsHeadersEvent() throws Exception {
    m.kernel("6.1.0-57-amd64", false).added("a", "1");
    Plan p = m.plan(new Event.KernelAdded("6.1.0-57-amd64", Optional.empty()));
    assertThat(p.jobs()).isEmpty();
    assertThat(p.notes()).anyMatch(n -> n.contains("no kernel headers"));
  }

  @Test
  void excludedModulesStayInThePlanAsSkips() throws Exception {
    m.added("a", "1").recipe("a", "1", new Recipe(true, true, List.of()));
    Plan p = m.plan(new Event.HeadersAdded(K1));
    assertThat(p.jobs().get(0).units()).singleElement().matches(Unit::excluded);
    assertThat(p.describe())
        .contains("build+install a/1 " + K1 + "/x86_64 (BUILD_EXCLUSIVE: skip)");
  }

  @Test
  void upgradeInPlaceTearsDownAutoinstallModulesAndRebuildsThem() throws Exception {
    m.added("a", "1").installed("a", "1", K1);
    m.added("manual", "1").recipe("manual", "1", new Recipe(false, false, List.of()));
    m.installed("manual", "1", K1);
    Plan p = m.plan(new Event.KernelUpgraded(K1));
    assertThat(p.teardowns())
        .containsExactly(new Teardown("a", "1", K1, "x86_64", TeardownReason.KERNEL_UPGRADED));
    assertThat(units(p.jobs().get(0))).containsExactly("a/1");
    assertThat(p.jobs().get(0).units().get(0).built()).isFalse();
  }

  @Test
  void removeAndAddOfTheSameKernelIsAnUpgrade() throws Exception {
    m.added("a", "1").installed("a", "1", K1);
    Plan p = m.plan(new Event.KernelRemoved(K1), new Event.KernelAdded(K1, Optional.empty()));
    assertThat(p.teardowns())
        .extracting(Teardown::reason)
        .containsExactly(TeardownReason.KERNEL_UPGRADED);
    assertThat(units(p.jobs().get(0))).containsExactly("a/1");
  }

  @Test
  void kernelRemovedTearsDownEveryBuiltModule() throws Exception {
    m.added("a", "1").installed("a", "1", K1).built("a", "1", K2);
    m.added("manual", "1").recipe("manual", "1", new Recipe(false, false, List.of()));
    m.built("manual", "1", K1);
    Plan p = m.plan(new Event.KernelRemoved(K1));
    assertThat(p.teardowns()).extracting(Teardown::module).containsExactly("a", "manual");
    assertThat(p.jobs()).isEmpty();
    assertThat(p.touchedKernels()).containsExactly(K1);
  }

  @Test
  void moduleAddedIsRegisteredAndBuiltForEveryKernelWithHeaders() throws Exception {
    m.kernel("6.1.0-10-amd64", false);
    m.source("new", "3").recipe("new", "3", new Recipe(true, false, List.of()));
    m.added("other", "1");
    Plan p = m.plan(new Event.ModuleAdded("new", "3"));
    assertThat(p.registrations()).extracting(Plan.ModuleVersion::toString).containsExactly("new/3");
    assertThat(p.jobs()).extracting(KernelJob::kernel).containsExactly(K1, K2);
    assertThat(p.jobs()).allSatisfy(j -> assertThat(units(j)).containsExactly("new/3"));
  }

  @Test
  void moduleAddedPullsInTheAutoinstallModulesItDependsOn() throws Exception {
    m.added("base", "1").added("mid", "1", "base").added("other", "1");
    m.source("top", "1").recipe("top", "1", new Recipe(true, false, List.of("mid")));
    Plan p = m.plan(new Event.ModuleAdded("top", "1"));
    assertThat(units(p.jobs().get(0))).containsExactly("base/1", "mid/1", "top/1");
  }

  @Test
  void aModuleAddedForChosenKernelsIsBuiltOnlyThere() throws Exception {
    m.source("new", "3").recipe("new", "3", new Recipe(true, false, List.of()));
    Plan p = m.plan(new Event.ModuleAddedFor("new", "3", List.of(K2)));
    assertThat(p.registrations()).extracting(Plan.ModuleVersion::toString).containsExactly("new/3");
    assertThat(p.jobs()).extracting(KernelJob::kernel).containsExactly(K2);
    assertThat(units(p.jobs().get(0))).containsExactly("new/3");
  }

  @Test
  void aReinstalledModuleForChosenKernelsGoesEverywhereAndComesBackThere() throws Exception {
    m.added("a", "1").installed("a", "1", K1).installed("a", "1", K2);
    Plan p =
        m.plan(new Event.ModuleRemoved("a", "1"), new Event.ModuleAddedFor("a", "1", List.of(K1)));
    assertThat(p.teardowns()).extracting(Teardown::kernel).containsExactly(K1, K2);
    assertThat(p.removals()).isEmpty();
    assertThat(p.jobs()).extracting(KernelJob::kernel).containsExactly(K1);
  }

  @Test
  void anOlderModuleAddedChangesNothing() throws Exception {
    m.added("a", "2").installed("a", "2", K1).installed("a", "2", K2);
    m.source("a", "1").recipe("a", "1", new Recipe(true, false, List.of()));
    Plan p = m.plan(new Event.ModuleAdded("a", "1"));
    assertThat(p.registrations()).hasSize(1);
    assertThat(p.jobs()).allMatch(j -> j.units().isEmpty());
  }

  @Test
  void moduleRemovedGoesEverywhereAndTheNextHighestVersionTakesItsPlace() throws Exception {
    m.added("a", "1").built("a", "1", K1);
    m.added("a", "2").installed("a", "2", K1).installed("a", "2", K2);
    Plan p = m.plan(new Event.ModuleRemoved("a", "2"));
    assertThat(p.teardowns())
        .extracting(t -> t.module() + "/" + t.version() + "@" + t.kernel())
        .containsExactly("a/2@" + K1, "a/2@" + K2);
    assertThat(p.removals()).extracting(Plan.ModuleVersion::toString).containsExactly("a/2");
    assertThat(p.jobs()).hasSize(2);
    assertThat(p.jobs().get(0).units()).containsExactly(new Unit("a", "1", List.of(), true, false));
    assertThat(units(p.jobs().get(1))).containsExactly("a/1");
  }

  @Test
  void brokenVersionsAreLeftAlone() throws Exception {
    m.added("a", "1").broken("a", "5");
    Plan p = m.plan(new Event.KernelAdded(K1, Optional.empty()));
    assertThat(units(p.jobs().get(0))).containsExactly("a/1");
  }

  @Test
  void dependenciesAreKeptAndCyclesReported() throws Exception {
    m.added("x", "1", "y").added("y", "1", "z").added("z", "1", "x");
    m.added("self", "1", "self").added("free", "1").added("user", "1", "free");
    Plan p = m.plan(new Event.KernelAdded(K1, Optional.empty()));
    KernelJob j = p.jobs().get(0);
    assertThat(j.cycles()).containsExactly(List.of("self", "self"), List.of("x", "y", "z", "x"));
    assertThat(p.describe()).contains("cycle on " + K1 + ": x -> y -> z -> x");
  }

  @Test
  void transactionsCombineKernelsAndModules() throws Exception {
    m.kernel("6.1.0-57-amd64", true);
    m.added("a", "1").installed("a", "1", K1).installed("a", "1", K2);
    m.source("b", "1").recipe("b", "1", new Recipe(true, false, List.of()));
    Plan p =
        m.plan(
            new Event.KernelRemoved(K1),
            new Event.KernelAdded("6.1.0-57-amd64", Optional.empty()),
            new Event.ModuleAdded("b", "1"));
    assertThat(p.teardowns()).extracting(Teardown::kernel).containsExactly(K1);
    assertThat(p.jobs()).extracting(KernelJob::kernel).containsExactly(K2, "6.1.0-57-amd64");
    assertThat(units(p.jobs().get(0))).containsExactly("b/1");
    assertThat(units(p.jobs().get(1))).containsExactly("a/1", "b/1");
  }

  @Test
  void aModuleRemovedAndAddedInOneBatchIsRebuiltWhereItWasAndKeptRegistered() throws Exception {
    m.added("a", "1").installed("a", "1", K1).built("a", "1", K2);
    Plan p = m.plan(new Event.ModuleRemoved("a", "1"), new Event.ModuleAdded("a", "1"));
    assertThat(p.teardowns())
        .extracting(t -> t.kernel() + ":" + t.reason())
        .containsExactly(K1 + ":MODULE_REINSTALLED", K2 + ":MODULE_REINSTALLED");
    assertThat(p.removals()).isEmpty();
    assertThat(p.registrations()).isEmpty();
    assertThat(p.jobs()).extracting(KernelJob::kernel).containsExactly(K1, K2);
    assertThat(p.jobs()).allSatisfy(j -> assertThat(units(j)).containsExactly("a/1"));
    assertThat(p.jobs()).allSatisfy(j -> assertThat(j.units().get(0).built()).isFalse());
  }

  @Test
  void weakUpdatesAreDecidedForEveryAppearingKernelAndDroppedForRemovedOnes() throws Exception {
    m.linksWeakUpdates = true;
    m.kernel("6.1.0-57-amd64", false).added("a", "1").installed("a", "1", K1);
    Plan p =
        m.plan(
            new Event.KernelAdded("6.1.0-57-amd64", Optional.empty()),
            new Event.HeadersAdded(K2),
            new Event.KernelRemoved(K1));
    // the kernel without headers builds nothing, but gets its links after the builds
    assertThat(p.jobs()).extracting(KernelJob::kernel).containsExactly(K2);
    assertThat(p.weakLinks())
        .containsExactly(
            new Plan.WeakLinks(K1, true),
            new Plan.WeakLinks(K2, false),
            new Plan.WeakLinks("6.1.0-57-amd64", false));
    assertThat(p.describe())
        .contains("weak-updates 6.1.0-57-amd64 (link compatible modules of other kernels)\n")
        .contains("weak-updates " + K1 + " (remove the links: kernel removed)\n");
    // a kernel event is never empty there: replaying it re-checks the links
    assertThat(m.plan(new Event.KernelAdded("6.1.0-57-amd64", Optional.empty())).isEmpty())
        .isFalse();
  }

  @Test
  void noWeakUpdatesWhereKernelsAreNotLinked() throws Exception {
    m.kernel("6.1.0-57-amd64", false).added("a", "1").installed("a", "1", K1);
    Plan p =
        m.plan(
            new Event.KernelAdded("6.1.0-57-amd64", Optional.empty()), new Event.KernelRemoved(K1));
    assertThat(p.weakLinks()).isEmpty();
    assertThat(p.describe()).doesNotContain("weak-updates");
  }

  @Test
  void noAutoinstallStopsLinkingButNotUnlinking() throws Exception {
    m.linksWeakUpdates = true;
    Files.writeString(m.etc.resolve("no-autoinstall"), "");
    Plan p = m.plan(new Event.KernelAdded(K2, Optional.empty()), new Event.KernelRemoved(K1));
    assertThat(p.weakLinks()).containsExactly(new Plan.WeakLinks(K1, true));
  }

  @Test
  void aBrokenVersionIsTornDownAndRemovedOnlyWhenItIsBeingRemoved() throws Exception {
    // Its package was erased before the hook ran: the source is gone, the builds are not.
    m.broken("a", "1").installed("a", "1", K1).built("a", "1", K2);
    assertThat(m.plan(new Event.KernelAdded(K1, Optional.empty())).teardowns()).isEmpty();
    Plan p = m.plan(new Event.ModuleRemoved("a", "1"));
    assertThat(p.teardowns())
        .extracting(t -> t.kernel() + ":" + t.reason())
        .containsExactly(K1 + ":MODULE_REMOVED", K2 + ":MODULE_REMOVED");
    assertThat(p.removals()).extracting(Plan.ModuleVersion::toString).containsExactly("a/1");
  }

  @Test
  void aModuleAPrebuiltPackageProvidesIsNeitherBuiltNorInstalled() throws Exception {
    m.added("acpi-call", "1.2.2").added("b", "1", "acpi-call");
    m.prebuilt("acpi-call", "1.2.1", K2, "acpi-call-modules-" + K2);
    Plan p = m.plan(new Event.KernelAdded(K2, Optional.empty()), new Event.HeadersAdded(K1));
    assertThat(p.jobs()).extracting(KernelJob::kernel).containsExactly(K1, K2);
    assertThat(units(p.jobs().get(0))).containsExactly("acpi-call/1.2.2", "b/1");
    // its dependents find it installed
    assertThat(units(p.jobs().get(1))).containsExactly("b/1");
    assertThat(p.jobs().get(1).installed()).containsExactly("acpi-call");
    assertThat(p.notes())
        .containsExactly(
            "acpi-call/1.2.2 for "
                + K2
                + ": provided by the package acpi-call-modules-"
                + K2
                + " (prebuilt), not built");
    assertThat(m.warnings).isEmpty();
  }

  @Test
  void aNewKernelWithoutItsPrebuiltPackageIsNamedWhenNothingCanBuildIt() throws Exception {
    m.prebuilt("acpi-call", "1.2.2", K1, "acpi-call-modules-" + K1);
    // no source in the tree
    Plan p = m.plan(new Event.KernelAdded(K2, Optional.empty()));
    assertThat(p.notes())
        .containsExactly(
            "acpi-call: no prebuilt package for "
                + K2
                + " (acpi-call-modules-"
                + K2
                + ") and its DKMS source is not installed; install that package");
    // a source but no compiler: said, and not started
    m.added("acpi-call", "1.2.2").added("other", "1");
    m.canCompile = false;
    p = m.plan(new Event.KernelAdded(K2, Optional.empty()));
    assertThat(p.notes())
        .containsExactly(
            "acpi-call: no prebuilt package for "
                + K2
                + " (acpi-call-modules-"
                + K2
                + ") and no compiler to build it; install that package, or gcc, make and the"
                + " kernel's headers");
    assertThat(units(p.jobs().get(0))).containsExactly("other/1");
    // no headers
    m.kernel("6.1.0-57-amd64", false);
    assertThat(new Planner(m.inventory()).missingPrebuilt("6.1.0-57-amd64"))
        .singleElement()
        .asString()
        .contains("(acpi-call-modules-6.1.0-57-amd64) and the kernel has no headers");
    // with a compiler, it is built as any DKMS module (the fallback), and nothing is said
    m.canCompile = true;
    p = m.plan(new Event.KernelAdded(K2, Optional.empty()));
    assertThat(p.notes()).isEmpty();
    assertThat(units(p.jobs().get(0))).containsExactly("acpi-call/1.2.2", "other/1");
  }
}
