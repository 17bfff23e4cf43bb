package io.parley.command.report;

import io.parley.api.account.AccountIds;
import io.parley.api.common.CommandRejected;
import io.parley.api.report.ReportCommands.FileReport;
import io.parley.api.report.ReportCommands.ResolveReport;
import io.parley.api.report.ReportEvents.ReportFiled;
import io.parley.api.report.ReportEvents.ReportResolved;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A user's report of a conversation, a message or a person, for the platform's admins (README, Reports and
 * moderation): filed once, resolved once. Every step is an event, so the history shows who reported what and
 * who dealt with it.
 */
@Aggregate
class Report {
    static final int MAX_TEXT = 1000;

    @AggregateIdentifier
    private String reportId;
    private boolean resolved;

    Report() {
        // required by Axon to rebuild the aggregate from its events
    }

    @CommandHandler
    Report(FileReport command, Clock clock) {
        if (command.reportId() == null || command.reporterId() == null || command.conversationId() == null) {
            throw CommandRejected.invalid("invalid-report", "A report names its conversation");
        }
        if (command.seq() != null && command.seq() < 1) {
            throw CommandRejected.invalid("invalid-report", "seq is the seq of a message, 1 or more");
        }
        if (command.userId() != null) {
            AccountIds.require(command.userId(), "userId");
        }
        String reason = text(command.reason(), "reason");
        if (reason == null) {
            throw CommandRejected.invalid("invalid-report", "A report gives a reason of 1 to " + MAX_TEXT + " characters");
        }
        apply(new ReportFiled(command.reportId(), command.reporterId(), command.conversationId(), command.seq(),
                command.userId(), reason, clock.instant()));
    }

    @CommandHandler
    void handle(ResolveReport command, Clock clock) {
        if (resolved) {
            throw CommandRejected.conflict("report-resolved", "This report was resolved already");
        }
        apply(new ReportResolved(reportId, command.resolvedBy(), text(command.note(), "note"), clock.instant()));
    }

    /** Stripped; null when absent or blank; at most {@value #MAX_TEXT} characters, never U+0000 (issue 15). */
    private static String text(String value, String field) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.length() > MAX_TEXT || stripped.indexOf('\0') >= 0) {
            throw CommandRejected.invalid("invalid-report", field + " has at most " + MAX_TEXT
                    + " characters, without U+0000");
        }
        return stripped.isEmpty() ? null : stripped;
    }

    @EventSourcingHandler
    void on(ReportFiled event) {
        reportId = event.reportId();
    }

    @EventSourcingHandler
    void on(ReportResolved event) {
        resolved = true;
    }
}
