package io.parley.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout of the README's Architecture section: modules point one way (api-contracts <- command-side, projections
 * <- query-side <- gateway; embedded-stack knows no other module), features never depend on the gateway or on STOMP,
 * command handlers never read a read model, the gateway holds adapters only, and no module or feature package is part
 * of a cycle. The bench has its own test (bench never depends on the gateway).
 */
class ArchitectureTest {

    private static final String CONTRACTS = "io.parley.api..";
    private static final String COMMANDS = "io.parley.command..";
    private static final String PROJECTIONS = "io.parley.projections..";
    private static final String QUERIES = "io.parley.query..";
    private static final String GATEWAY = "io.parley.gateway..";
    private static final String EMBEDDED = "io.parley.embedded..";

    private static JavaClasses parley;

    @BeforeAll
    static void importClasses() {
        // test classes of other modules arrive here as test-jars (projections publishes one), not as test-classes
        parley = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.parley");
    }

    @Test
    void contractsAreSpringFreeAndDependOnNoOtherModule() {
        noClasses().that().resideInAPackage(CONTRACTS)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", COMMANDS, PROJECTIONS,
                        QUERIES, GATEWAY, EMBEDDED)
                .check(parley);
    }

    @Test
    void commandSideKnowsOnlyContracts() {
        noClasses().that().resideInAPackage(COMMANDS)
                .should().dependOnClassesThat().resideInAnyPackage(PROJECTIONS, QUERIES, GATEWAY, EMBEDDED)
                .check(parley);
    }

    /**
     * Rules decide from the aggregate's state or from tables written in the same transaction as its events, never
     * from an eventually consistent view: no query bus, no Elasticsearch, and MongoDB only for the GridFS blob driver.
     */
    @Test
    void commandHandlersNeverReadReadModels() {
        noClasses().that().resideInAPackage(COMMANDS)
                .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.queryhandling..", "co.elastic..")
                .check(parley);
        noClasses().that().resideInAPackage(COMMANDS).and().resideOutsideOfPackage("io.parley.command.media.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("com.mongodb..", "org.bson..")
                .check(parley);
    }

    @Test
    void projectionsKnowOnlyContracts() {
        noClasses().that().resideInAPackage(PROJECTIONS)
                .should().dependOnClassesThat().resideInAnyPackage(COMMANDS, QUERIES, GATEWAY, EMBEDDED)
                .check(parley);
    }

    @Test
    void querySideReadsProjectionsButNeverCommandsOrGateway() {
        noClasses().that().resideInAPackage(QUERIES)
                .should().dependOnClassesThat().resideInAnyPackage(COMMANDS, GATEWAY, EMBEDDED)
                .check(parley);
    }

    @Test
    void developmentServersKnowNoOtherModule() {
        noClasses().that().resideInAPackage(EMBEDDED)
                .should().dependOnClassesThat().resideInAnyPackage(CONTRACTS, COMMANDS, PROJECTIONS, QUERIES, GATEWAY)
                .check(parley);
    }

    /** Features reach clients through ports (such as {@code LiveFrames}); only the adapters know HTTP and STOMP. */
    @Test
    void featuresNeverDependOnWebOrStomp() {
        noClasses().that().resideOutsideOfPackages(GATEWAY)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.messaging.simp..",
                        "org.springframework.web.socket..", "org.springframework.web.servlet..",
                        "org.springframework.web.bind..", "jakarta.servlet..")
                .check(parley);
    }

    @Test
    void gatewayHoldsAdaptersOnly() {
        classes().that().resideInAPackage(GATEWAY)
                .should().resideInAnyPackage("io.parley.gateway.web..", "io.parley.gateway.stomp..",
                        "io.parley.gateway.security..", "io.parley.gateway.client..", "io.parley.gateway.app..")
                .check(parley);
    }

    @Test
    void onlyTheStompAdapterKnowsStompClasses() {
        noClasses().that().resideInAPackage(GATEWAY).and().resideOutsideOfPackage("io.parley.gateway.stomp..")
                .should().dependOnClassesThat().resideInAPackage("io.parley.gateway.stomp..")
                .check(parley);
    }

    @Test
    void modulesAreFreeOfCycles() {
        slices().matching("io.parley.(*)..").should().beFreeOfCycles().check(parley);
    }

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.parley.(*).(*)..").should().beFreeOfCycles().check(parley);
    }

    @Test
    void aggregatesArePackagePrivate() {
        classes().that().areAnnotatedWith(Aggregate.class).should().notBePublic().check(parley);
    }
}
