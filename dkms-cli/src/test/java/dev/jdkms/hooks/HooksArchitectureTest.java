package dev.jdkms.hooks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The hooks' shape (DESIGN.md, "one core, thin adapters"): the hosts' packages depend on the shared
 * hooks package and the core, never on each other, on the CLI or on picocli (a hook loads nothing a
 * no-op does not need), and only the entry point ends the JVM.
 */
@AnalyzeClasses(packages = "dev.jdkms.hooks", importOptions = ImportOption.DoNotIncludeTests.class)
class HooksArchitectureTest {
  @ArchTest
  static final ArchRule hosts_are_independent =
      slices().matching("dev.jdkms.hooks.(*)..").should().notDependOnEachOther();

  @ArchTest
  static final ArchRule no_cli_no_picocli_no_reflection =
      noClasses()
          .that()
          .resideInAPackage("dev.jdkms.hooks..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.jdkms.cli..", "picocli..", "java.lang.reflect..", "dev.jdkms.fleet..")
          .because("a hook call is one JVM start that loads only what its host needs");

  @ArchTest
  static final ArchRule hooks_never_exit_the_jvm =
      noClasses()
          .that()
          .resideInAPackage("dev.jdkms.hooks..")
          .should()
          .callMethod(System.class, "exit", int.class)
          .because("the entry point (jdkms hook) chooses the exit status");
}
