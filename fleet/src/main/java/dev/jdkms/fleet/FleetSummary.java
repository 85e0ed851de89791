package dev.jdkms.fleet;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The end of a fleet build's output: one line per unit, the packages, the counts. */
public final class FleetSummary {
  private FleetSummary() {}

  public static void print(
      List<UnitResult> units, PackageWriter writer, List<Path> packages, PrintWriter out) {
    out.println();
    out.println("jdkms fleet build: summary");
    for (UnitResult u : units) {
      String what =
          switch (u.status()) {
            case BUILT -> "built  ";
            case SKIPPED -> "skipped";
            case FAILED -> "FAILED ";
          };
      StringBuilder line = new StringBuilder("  ").append(what).append(' ').append(u);
      if (u.status() == UnitResult.Status.BUILT) {
        line.append(" -> ").append(writer.packageName(u));
        if (u.updatesInitramfs()) {
          line.append(" (its scripts update the initramfs: ").append(u.detail()).append(')');
        }
      } else {
        line.append(" (").append(u.detail()).append(')');
      }
      out.println(line);
    }
    for (Path p : packages) {
      out.println("  package " + p);
    }
    out.printf(
        "Built %d, skipped %d (BUILD_EXCLUSIVE), failed %d; %d packages.%n",
        count(units, UnitResult.Status.BUILT),
        count(units, UnitResult.Status.SKIPPED),
        count(units, UnitResult.Status.FAILED),
        packages.size());
    out.flush();
  }

  public static long count(List<UnitResult> units, UnitResult.Status status) {
    return units.stream().filter(u -> u.status() == status).count();
  }
}
