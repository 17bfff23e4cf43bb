package io.parley.api.report;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands of the Report aggregate (README, Reports and moderation). */
public final class ReportCommands {
    private ReportCommands() {
    }

    /**
     * Reports a conversation, one of its messages ({@code seq}) and/or one of its people ({@code userId}). That the
     * reporter sees what they report is checked before the command is sent: the aggregate cannot read a
     * conversation, and a report names what it is about without holding a copy of it.
     */
    public record FileReport(@TargetAggregateIdentifier String reportId, String reporterId, String conversationId,
                             Long seq, String userId, String reason) {
    }

    /** Only an ADMIN may send it. */
    public record ResolveReport(@TargetAggregateIdentifier String reportId, String resolvedBy, String note) {
    }
}
