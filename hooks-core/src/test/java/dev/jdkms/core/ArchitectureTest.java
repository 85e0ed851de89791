package dev.jdkms.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine's architecture (DESIGN.md): a plain library whose dependencies point one way. Hooks
 * and the CLI depend on hooks-core, never the reverse; its packages form no cycles; and it never
 * ends the JVM (only the entry points decide exit codes).
 */
@AnalyzeClasses(packages = "dev.jdkms.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule no_cycles_between_core_packages =
      slices()
          .matching("dev.jdkms.core.(*)..")
          .namingSlices("core.$1")
          .should()
          .beFreeOfCycles()
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule core_does_not_depend_on_cli_picocli_or_adapters =
      noClasses()
          .that()
          .resideInAPackage("dev.jdkms.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.jdkms.cli..",
              "dev.jdkms.hooks..",
              "picocli..",
              "dev.jdkms.apt..",
              "dev.jdkms.layout..",
              "dev.jdkms.rpm..",
              "dev.jdkms.pacman..",
              "dev.jdkms.kernelinstall..",
              "dev.jdkms.fleet..",
              "org.vafer.jdeb..",
              "org.redline_rpm..")
          .because("hooks and the CLI depend on the core, never the reverse (DESIGN.md)");

  @ArchTest
  static final ArchRule core_never_exits_the_jvm =
      noClasses()
          .that()
          .resideInAPackage("dev.jdkms.core..")
          .should()
          .callMethod(System.class, "exit", int.class)
          .orShould()
          .callMethod(Runtime.class, "exit", int.class)
          .orShould()
          .callMethod(Runtime.class, "halt", int.class)
          .because("hooks-core is a library: only the entry points choose exit codes");
}
