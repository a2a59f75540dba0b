package org.q4mbridge.bridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of DESIGN.md §2, checked on the compiled classes. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.q4mbridge");
  }

  @Test
  void sinkPackagesNeverImportEachOther() {
    for (String a : new String[] {"redis", "sqs", "rabbitmq"}) {
      for (String b : new String[] {"redis", "sqs", "rabbitmq"}) {
        if (!a.equals(b)) {
          noClasses()
              .that()
              .resideInAPackage("org.q4mbridge.bridge.sink." + a + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("org.q4mbridge.bridge.sink." + b + "..")
              .allowEmptyShould(true)
              .check(classes);
        }
      }
    }
  }

  @Test
  void sinksKnowNothingOfTheDaemonAroundThem() {
    noClasses()
        .that()
        .resideInAPackage("org.q4mbridge.bridge.sink..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.q4mbridge.bridge.pump..",
            "org.q4mbridge.bridge.config..",
            "org.q4mbridge.bridge.cli..",
            "org.q4mbridge.bridge.ops..")
        .check(classes);
  }

  @Test
  void thePumpDependsOnContractsNotOnConfigurationOrBrokers() {
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
            "org.q4mbridge.bridge.sink.rabbitmq..")
        .check(classes);
  }

  @Test
  void configurationIsPlainValues() {
    noClasses()
        .that()
        .resideInAPackage("org.q4mbridge.bridge.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.q4mbridge.bridge.pump..",
            "org.q4mbridge.bridge.sink..",
            "org.q4mbridge.bridge.cli..")
        .check(classes);
  }

  @Test
  void compatAndCompareKnowNothingOfTheDaemonOrEachOther() {
    noClasses()
        .that()
        .resideInAPackage("org.q4mbridge.q4m..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.q4mbridge.bridge..", "org.q4mbridge.compare..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.q4mbridge.compare..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.q4mbridge.bridge..", "org.q4mbridge.q4m..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void onlyTheLauncherExitsTheProcess() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("org.q4mbridge.bridge.cli.Main")
        .should()
        .callMethod(System.class, "exit", int.class)
        .check(classes);
  }

  @Test
  void nothingSleepsOutsideTheBackoffAndWaitClasses() {
    noClasses().should().callMethod(Thread.class, "sleep", long.class).check(classes);
  }
}
