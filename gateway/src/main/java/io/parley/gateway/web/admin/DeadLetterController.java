package io.parley.gateway.web.admin;

import io.parley.gateway.app.DeadLetters;
import io.parley.gateway.app.DeadLetters.Parked;
import io.parley.gateway.app.DeadLetters.Retried;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The operator's view of projection faults (role ADMIN; docs/design.md section 4): what each processor parked
 * and why, and processing it again once the cause is fixed. Causes are listed as stored, already sanitised.
 */
@RestController
@RequestMapping("/api/admin/dead-letters")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    record Listing(List<Parked> processors) {
    }

    @GetMapping
    @Operation(summary = "Parked events per processor: sequences of letters with their event and cause")
    Listing list() {
        return new Listing(deadLetters.parked());
    }

    @GetMapping("/{processor}")
    @Operation(summary = "Parked events of one processor")
    Parked one(@PathVariable String processor) {
        return deadLetters.parked(processor).orElseThrow(() -> unknown(processor));
    }

    @PostMapping("/{processor}/retry")
    @Operation(summary = "Process the processor's parked sequences again until none is left or one fails")
    Retried retry(@PathVariable String processor) {
        return deadLetters.retry(processor).orElseThrow(() -> unknown(processor));
    }

    private static RuntimeException unknown(String processor) {
        return Problems.exception(HttpStatus.NOT_FOUND, "unknown-processor",
                "No event processor with a dead-letter queue is called " + processor);
    }
}
