package io.parley.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Guards the module directions of DESIGN section 2: api-contracts <- command-side, projections, query-side <- gateway. */
class ArchitectureTest {

    private static JavaClasses parley;

    @BeforeAll
    static void importClasses() {
        parley = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.parley");
    }

    @Test
    void contractsAreSpringFreeAndDependOnNoOtherModule() {
        noClasses().that().resideInAPackage("io.parley.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.parley.command..",
                        "io.parley.projections..", "io.parley.query..", "io.parley.gateway..")
                .check(parley);
    }

    @Test
    void commandSideKnowsOnlyContracts() {
        noClasses().that().resideInAPackage("io.parley.command..")
                .should().dependOnClassesThat().resideInAnyPackage("io.parley.projections..", "io.parley.query..",
                        "io.parley.gateway..")
                .check(parley);
    }

    @Test
    void projectionsKnowOnlyContracts() {
        noClasses().that().resideInAPackage("io.parley.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("io.parley.command..", "io.parley.query..",
                        "io.parley.gateway..")
                .check(parley);
    }

    @Test
    void querySideReadsProjectionsButNeverCommandsOrGateway() {
        noClasses().that().resideInAPackage("io.parley.query..")
                .should().dependOnClassesThat().resideInAnyPackage("io.parley.command..", "io.parley.gateway..")
                .check(parley);
    }

    @Test
    void aggregatesArePackagePrivate() {
        classes().that().areAnnotatedWith(Aggregate.class).should().notBePublic().check(parley);
    }
}
