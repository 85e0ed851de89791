package dev.jdkms.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateBuildAreasTest {
  @TempDir Path tree;

  @Test
  void eachBuildHasItsOwnAreaAndTheSharedDirectoryGoesWithTheLastSuccess() throws Exception {
    Path build = tree.resolve("m/1/build");
    PrivateBuildAreas areas = new PrivateBuildAreas();
    BuildArea a = areas.enter(build, "6.1.0-55-amd64", "x86_64");
    BuildArea b = areas.enter(build, "6.1.0-56-amd64", "x86_64");
    assertThat(a.dir()).isEqualTo(tree.resolve("m/1/.build-6.1.0-55-amd64-x86_64"));
    assertThat(a.dir()).isNotEqualTo(b.dir());
    assertThat(a.visible()).isEqualTo(build);
    assertThat(a.shown(a.dir().resolve("make.log"))).isEqualTo(build.resolve("make.log"));
    assertThat(build).as("the mount point exists while builds run").isDirectory();
    Files.createDirectories(a.dir());
    Files.writeString(a.dir().resolve("x.o"), "");
    areas.leave(a, false);
    assertThat(a.dir()).doesNotExist();
    assertThat(build).as("b still builds: its mount point stays").isDirectory();
    areas.leave(b, false);
    assertThat(build).as("gone, as after upstream's successful build").doesNotExist();
  }

  @Test
  void aFailedBuildBecomesTheSharedBuildDirectoryWithItsLogKept() throws Exception {
    Path build = tree.resolve("m/1/build");
    PrivateBuildAreas areas = new PrivateBuildAreas();
    BuildArea a = areas.enter(build, "k1", "x86_64");
    Files.createDirectories(a.dir());
    Files.writeString(a.dir().resolve("make.log"), "error: k1\n");
    areas.leave(a, true);
    assertThat(build.resolve("make.log")).hasContent("error: k1");
    Path kept = areas.keptLog(build, "k1", "x86_64");
    assertThat(kept).isEqualTo(tree.resolve("m/1/.logs/make.log.1")).hasContent("error: k1");

    BuildArea b = areas.enter(build, "k2", "x86_64");
    Files.createDirectories(b.dir());
    Files.writeString(b.dir().resolve("make.log"), "error: k2\n");
    areas.leave(b, true);
    assertThat(build.resolve("make.log"))
        .as("the last failure, as upstream")
        .hasContent("error: k2");
    assertThat(areas.keptLog(build, "k2", "x86_64")).hasContent("error: k2");
    assertThat(areas.keptLog(build, "k1", "x86_64")).hasContent("error: k1");
  }

  @Test
  void aSweepRemovesTheAreasAKilledRunLeft() throws Exception {
    Path build = tree.resolve("m/1/build");
    Files.createDirectories(tree.resolve("m/1/.build-k1-x86_64/sub"));
    Files.createDirectories(tree.resolve("m/1/.logs"));
    Files.createDirectories(tree.resolve("m/1/k2/x86_64"));
    new PrivateBuildAreas().sweep(build);
    try (var s = Files.list(tree.resolve("m/1"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".logs", "k2");
    }
  }

  @Test
  void aBuildKilledEarlierLeavesNothingInTheWayOfTheNext() throws Exception {
    Path build = tree.resolve("m/1/build");
    Path stale = tree.resolve("m/1/.build-k1-x86_64/half.o");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "");
    BuildArea a = new PrivateBuildAreas().enter(build, "k1", "x86_64");
    assertThat(a.dir()).doesNotExist();
  }
}
