package io.parley.gateway.web.report;

import io.parley.api.account.AccountIds;
import io.parley.api.conversation.ConversationQueries.ConversationDetails;
import io.parley.api.conversation.ConversationQueries.ConversationQuery;
import io.parley.api.receipt.ReceiptQueries.MessageReceipts;
import io.parley.api.receipt.ReceiptQueries.MessageReceiptsQuery;
import io.parley.api.report.ReportCommands.FileReport;
import io.parley.api.report.ReportCommands.ResolveReport;
import io.parley.api.report.ReportQueries.ReportStatus;
import io.parley.api.report.ReportQueries.ReportView;
import io.parley.api.report.ReportQueries.ReportsQuery;
import io.parley.command.account.AccountDirectory;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reports (README, Reports and moderation). Anyone reports what they can see: a conversation they belong or
 * belonged to, a message of their own interval in it, an account; the check reads the views the reporter reads,
 * so nothing outside them can be probed (404, as for an unknown id). ADMINs list and resolve them.
 */
@RestController
@Tag(name = "reports")
class ReportController {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final AccountDirectory directory;

    ReportController(CommandGateway commands, QueryGateway queries, AccountDirectory directory) {
        this.commands = commands;
        this.queries = queries;
        this.directory = directory;
    }

    /** The reason's rules (length, U+0000) are the Report aggregate's: 400 {@code invalid-report}. */
    record ReportRequest(@NotBlank @Size(max = 100) String conversationId, Long seq, String userId, String reason) {
    }

    record Filed(String id) {
    }

    record Resolution(String note) {
    }

    @PostMapping("/api/reports")
    @Operation(summary = "Report a conversation, a message (seq) or a person (userId) in it to the admins")
    ResponseEntity<Filed> report(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody ReportRequest request) {
        String me = jwt.getSubject();
        if (request.userId() != null) {
            AccountIds.require(request.userId(), "userId");
        }
        Optional<ConversationDetails> conversation = queries.query(new ConversationQuery(request.conversationId(), me),
                ResponseTypes.optionalInstanceOf(ConversationDetails.class)).join();
        if (conversation.isEmpty()) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such conversation");
        }
        if (request.seq() != null) {
            // the receipts query answers for a message the caller sees (their interval, nothing withheld from them)
            Optional<MessageReceipts> seen = request.seq() < 1 ? Optional.empty()
                    : queries.query(new MessageReceiptsQuery(request.conversationId(), me, request.seq()),
                    ResponseTypes.optionalInstanceOf(MessageReceipts.class)).join();
            if (seen.isEmpty()) {
                throw Problems.exception(HttpStatus.NOT_FOUND, "message-not-found", "No such message");
            }
        }
        if (request.userId() != null && directory.findById(request.userId()).isEmpty()) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "account-not-found", "No account has this id");
        }
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new FileReport(id, me, request.conversationId(), request.seq(), request.userId(),
                request.reason()));
        return ResponseEntity.created(URI.create("/api/admin/reports/" + id)).body(new Filed(id));
    }

    @GetMapping("/api/admin/reports")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Reports, newest first (ADMIN only); status OPEN or RESOLVED, or both when absent")
    List<ReportView> reports(@RequestParam(required = false) ReportStatus status) {
        return queries.query(new ReportsQuery(status), ResponseTypes.multipleInstancesOf(ReportView.class)).join();
    }

    @PostMapping("/api/admin/reports/{id}/resolve")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Resolve a report with an optional note (ADMIN only); a report is resolved once")
    ResponseEntity<Void> resolve(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
                                 @RequestBody(required = false) Resolution resolution) {
        commands.sendAndWait(new ResolveReport(id.toString(), jwt.getSubject(),
                resolution == null ? null : resolution.note()));
        return ResponseEntity.noContent().build();
    }
}
