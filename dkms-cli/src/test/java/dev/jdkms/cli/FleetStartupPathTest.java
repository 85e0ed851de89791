package dev.jdkms.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The fleet module (jdeb, Ant, the package writers) is loaded by {@code jdkms fleet} only: outside
 * {@code dev.jdkms.cli.fleet}, no class of the shipped jar refers to it, so the drop-in, the hooks
 * and the other commands never load it.
 */
@AnalyzeClasses(packages = "dev.jdkms", importOptions = ImportOption.DoNotIncludeTests.class)
class FleetStartupPathTest {
  @ArchTest
  static final ArchRule only_the_fleet_command_refers_to_the_fleet_module =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.jdkms.cli.fleet..", "dev.jdkms.fleet..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.jdkms.fleet..", "org.vafer..", "org.apache.tools.ant..")
          .because("a hook call is one JVM start that loads only what its host needs");
}
