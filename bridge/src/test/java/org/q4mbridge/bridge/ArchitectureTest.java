package org.q4mbridge.bridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of DESIGN.md §2, checked on the compiled classes (each rule fails the
 * build).
 */
@AnalyzeClasses(packages = "org.q4mbridge", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule sinkPackagesNeverImportEachOther =
      slices().matching("org.q4mbridge.bridge.sink.(*)..").should().notDependOnEachOther();

  @ArchTest
  static final ArchRule sinksKnowNothingOfTheDaemonAroundThem =
      noClasses()
          .that()
          .resideInAPackage("org.q4mbridge.bridge.sink..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.q4mbridge.bridge.pump..",
              "org.q4mbridge.bridge.config..",
              "org.q4mbridge.bridge.cli..",
              "org.q4mbridge.bridge.ops..",
              "org.q4mbridge.bridge.phase..");

  @ArchTest
  static final ArchRule thePumpDependsOnContractsNotOnConfigurationOrBrokers =
      noClasses()
          .that()
          .resideInAPackage("org.q4mbridge.bridge.pump..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.q4mbridge.bridge.config..",
              "org.q4mbridge.bridge.cli..",
              "org.q4mbridge.bridge.sink.redis..",
              "org.q4mbridge.bridge.sink.sqs..",
              "org.q4mbridge.bridge.sink.rabbitmq..");

  @ArchTest
  static final ArchRule configurationIsPlainValues =
      noClasses()
          .that()
          .resideInAPackage("org.q4mbridge.bridge.config..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.q4mbridge.bridge.pump..",
              "org.q4mbridge.bridge.sink..",
              "org.q4mbridge.bridge.cli..");

  @ArchTest
  static final ArchRule compatKnowsNothingOfTheDaemonOrTheComparison =
      noClasses()
          .that()
          .resideInAPackage("org.q4mbridge.q4m..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.q4mbridge.bridge..", "org.q4mbridge.compare..");

  @ArchTest
  static final ArchRule compareKnowsNothingOfTheDaemonOrCompat =
      noClasses()
          .that()
          .resideInAPackage("org.q4mbridge.compare..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.q4mbridge.bridge..", "org.q4mbridge.q4m..");

  @ArchTest
  static final ArchRule onlyTheLauncherExitsTheProcess =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("org.q4mbridge.bridge.cli.Main")
          // the endpoint's own launcher, for running it without the bridge
          .and()
          .doNotHaveFullyQualifiedName("org.q4mbridge.q4m.server.Q4mServerMain")
          .should()
          .callMethod(System.class, "exit", int.class);

  @ArchTest
  static final ArchRule nothingSleeps =
      noClasses().should().callMethod(Thread.class, "sleep", long.class);
}
