package io.parley.command.report;

import io.parley.api.common.CommandRejected;
import io.parley.api.report.ReportCommands.FileReport;
import io.parley.api.report.ReportCommands.ResolveReport;
import io.parley.api.report.ReportEvents.ReportFiled;
import io.parley.api.report.ReportEvents.ReportResolved;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Reports: filed with a reason, about a conversation and optionally a message or a person; resolved once. */
class ReportTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final String ID = "r-1", REPORTER = "6f1c8a52-8f7e-4c59-9a55-3c1f5f4b0d11";
    private static final String ABUSER = "9b2d7e14-3a5c-4f60-8d21-7c4e9f0a1b33", CID = "c-1", ADMIN = "admin-1";

    private AggregateTestFixture<Report> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Report.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static void rejected(ResultValidator<Report> result, String code) {
        result.expectException(new CustomTypeSafeMatcher<>("rejection " + code) {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof CommandRejected r && r.code().equals(code);
            }
        }).expectNoEvents();
    }

    private static ReportFiled filed() {
        return new ReportFiled(ID, REPORTER, CID, 3L, ABUSER, "spam", NOW);
    }

    @Test
    void aReportIsFiledWithItsReasonStripped() {
        fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, CID, 3L, ABUSER, "  spam \n"))
                .expectEvents(filed());
    }

    @Test
    void aReportMayNameOnlyTheConversation() {
        fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, CID, null, null, "abusive group"))
                .expectEvents(new ReportFiled(ID, REPORTER, CID, null, null, "abusive group", NOW));
    }

    @Test
    void aReportNeedsAReasonOfBoundedLength() {
        rejected(fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, CID, null, null, "  ")),
                "invalid-report");
        rejected(fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, CID, null, null, null)),
                "invalid-report");
        rejected(fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, CID, null, null,
                "x".repeat(Report.MAX_TEXT + 1))), "invalid-report");
        rejected(fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, CID, null, null, "a\0b")),
                "invalid-report");
    }

    @Test
    void aReportNamesItsConversationAMessageSeqAndAnAccountId() {
        rejected(fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, null, null, null, "spam")),
                "invalid-report");
        rejected(fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, CID, 0L, null, "spam")),
                "invalid-report");
        rejected(fixture.givenNoPriorActivity().when(new FileReport(ID, REPORTER, CID, null, "nobody", "spam")),
                "invalid-account-id");
    }

    @Test
    void anAdminResolvesAnOpenReportWithANote() {
        fixture.given(filed()).when(new ResolveReport(ID, ADMIN, " warned the sender "))
                .expectEvents(new ReportResolved(ID, ADMIN, "warned the sender", NOW));
        fixture.given(filed()).when(new ResolveReport(ID, ADMIN, null))
                .expectEvents(new ReportResolved(ID, ADMIN, null, NOW));
    }

    @Test
    void aReportIsResolvedOnce() {
        rejected(fixture.given(filed(), new ReportResolved(ID, ADMIN, null, NOW))
                .when(new ResolveReport(ID, ADMIN, "again")), "report-resolved");
    }

    @Test
    void aResolutionNoteIsBounded() {
        rejected(fixture.given(filed()).when(new ResolveReport(ID, ADMIN, "x".repeat(Report.MAX_TEXT + 1))),
                "invalid-report");
    }
}
