package io.parley.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The bench drives the platform from outside, as any client does: over STOMP and REST, never through the gateway's
 * or the write side's classes (it may reuse the query side's public types, as the search bench does).
 */
class BenchArchitectureTest {

    private static JavaClasses bench;

    @BeforeAll
    static void importClasses() {
        bench = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.parley.bench");
    }

    @Test
    void neverDependsOnTheGatewayTheWriteSideOrTheDevelopmentServers() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.parley.gateway..", "io.parley.command..",
                "io.parley.embedded..").check(bench);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.parley.bench.(*)..").should().beFreeOfCycles().check(bench);
    }
}
