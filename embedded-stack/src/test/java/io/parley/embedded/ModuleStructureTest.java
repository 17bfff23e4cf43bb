package io.parley.embedded;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The development servers are a module of their own: they know no other Parley module (the gateway depends
 * on them, never the reverse), their packages by job have no cycles, and the shared basics in the root
 * package depend on none of those jobs.
 */
class ModuleStructureTest {

    private static JavaClasses embedded;

    @BeforeAll
    static void importClasses() {
        embedded = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.parley.embedded");
    }

    @Test
    void dependsOnNoOtherParleyModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.parley.api..", "io.parley.command..",
                        "io.parley.projections..", "io.parley.query..", "io.parley.gateway..")
                .check(embedded);
    }

    @Test
    void packagesByJobAreFreeOfCycles() {
        slices().matching("io.parley.embedded.(*)..").should().beFreeOfCycles().check(embedded);
    }

    @Test
    void theSharedBasicsDependOnNoJob() {
        noClasses().that().resideInAPackage("io.parley.embedded")
                .should().dependOnClassesThat().resideInAPackage("io.parley.embedded.*..")
                .check(embedded);
    }

    @Test
    void onlyTheSpringWiringAndTheStackKnowSpring() {
        noClasses().that().resideOutsideOfPackages("io.parley.embedded.spring..", "io.parley.embedded.stack..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(embedded);
    }
}
