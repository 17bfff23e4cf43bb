package io.parley.gateway.web;

import io.parley.api.common.CommandRejected;
import io.parley.gateway.app.StoreFailures;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Every REST error becomes {@code application/problem+json} with a stable type; nothing else (no stack
 * trace, no exception class name) reaches a client. Spring MVC's own errors (unknown route, wrong method,
 * wrong content type, unreadable body, oversize upload) get types of their own here too.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    private static final Map<Class<?>, String> SPRING_CODES = Map.ofEntries(
            Map.entry(org.springframework.web.servlet.resource.NoResourceFoundException.class, "not-found"),
            Map.entry(org.springframework.web.servlet.NoHandlerFoundException.class, "not-found"),
            Map.entry(org.springframework.web.HttpRequestMethodNotSupportedException.class, "method-not-allowed"),
            Map.entry(org.springframework.web.HttpMediaTypeNotSupportedException.class, "unsupported-media-type"),
            Map.entry(org.springframework.web.HttpMediaTypeNotAcceptableException.class, "not-acceptable"),
            Map.entry(HttpMessageNotReadableException.class, "malformed-body"),
            Map.entry(MethodArgumentNotValidException.class, "validation-failed"),
            Map.entry(HandlerMethodValidationException.class, "validation-failed"),
            Map.entry(org.springframework.web.bind.MissingServletRequestParameterException.class, "missing-parameter"),
            Map.entry(org.springframework.web.multipart.support.MissingServletRequestPartException.class, "missing-part"),
            Map.entry(org.springframework.web.multipart.MaxUploadSizeExceededException.class, "payload-too-large"),
            Map.entry(org.springframework.beans.TypeMismatchException.class, "invalid-parameter"));

    @ExceptionHandler(CommandRejected.class)
    ResponseEntity<ProblemDetail> rejected(CommandRejected e) {
        return respond(Problems.problem(status(e.reason()), e.code(), e.getMessage()));
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> commandFailed(CommandExecutionException e) {
        // a handler on another node (Axon Server) sends the rejection back as details
        if (e.getCause() instanceof CommandRejected rejected) {
            return rejected(rejected);
        }
        return e.getDetails().filter(CommandRejected.class::isInstance).map(CommandRejected.class::cast)
                .map(this::rejected)
                .orElseGet(() -> unexpected(e));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> aggregateNotFound(AggregateNotFoundException e) {
        return respond(Problems.problem(HttpStatus.NOT_FOUND, "not-found", "No such resource"));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrency(ConcurrencyException e) {
        return respond(Problems.problem(HttpStatus.CONFLICT, "concurrent-modification",
                "Someone else changed this at the same moment; retry"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(Problems.problem(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "Parameter '" + e.getName() + "' has an invalid value"));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return respond(Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Your account lacks the role this needs"));
    }

    @ExceptionHandler({org.springframework.web.multipart.MultipartException.class,
            org.springframework.security.web.firewall.RequestRejectedException.class})
    ResponseEntity<ProblemDetail> unreadableBody(Exception e) {
        return respond(BadRequestBodies.problem());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (BadRequestBodies.isUnreadableBody(e)) {
            return respond(BadRequestBodies.problem());
        }
        if (StoreFailures.isUnavailable(e)) {
            // a crashed store is being restarted (README, "Crash safety"): nothing was done, retry shortly
            log.warn("A store is unavailable: {}", e.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(StoreFailures.RETRY_AFTER_SECONDS))
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, StoreFailures.CODE,
                            "A store this request needs is unavailable (being restarted); retry after "
                                    + StoreFailures.RETRY_AFTER_SECONDS + " s"));
        }
        log.error("Unhandled error", e);
        return respond(Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "Something went wrong on our side; it has been logged"));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail pd ? pd
                : ex instanceof ErrorResponse er ? er.getBody()
                : ProblemDetail.forStatusAndDetail(statusCode, "Request failed");
        String code = SPRING_CODES.entrySet().stream().filter(c -> c.getKey().isInstance(ex))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem.setType(URI.create(Problems.TYPE_BASE + (code != null ? code : "http-" + statusCode.value())));
        }
        if (ex instanceof HttpMessageNotReadableException unreadable) {
            problem.setDetail(unreadableDetail(unreadable));
        }
        if (ex instanceof HandlerMethodValidationException invalid) {
            // @Min/@Max/@PositiveOrZero on request parameters: name each parameter and its rule
            List<Map<String, String>> errors = invalid.getParameterValidationResults().stream()
                    .flatMap(r -> r.getResolvableErrors().stream().map(err -> Map.of(
                            "field", String.valueOf(r.getMethodParameter().getParameterName()),
                            "message", err.getDefaultMessage() == null ? "invalid" : err.getDefaultMessage())))
                    .toList();
            problem.setDetail(errors.stream().map(err -> err.get("field") + " " + err.get("message"))
                    .reduce((x, y) -> x + "; " + y).orElse("The request has invalid parameters"));
            problem.setProperty("errors", errors);
        }
        if (ex instanceof MethodArgumentNotValidException invalid) {
            List<Map<String, String>> errors = invalid.getBindingResult().getFieldErrors().stream()
                    .map(f -> Map.of("field", f.getField(),
                            "message", f.getDefaultMessage() == null ? "invalid" : f.getDefaultMessage()))
                    .toList();
            problem.setDetail("The request has invalid fields");
            problem.setProperty("errors", errors);
        }
        problem.setInstance(null);
        return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
    }

    /** What was wrong with a body Jackson refused, without echoing it (issue 15: trailing garbage, 1.5 for an integer). */
    private static String unreadableDetail(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((x, y) -> y.startsWith("[") ? x + y : x + "." + y).orElse(null);
            if (mismatch.getMessage() != null && mismatch.getMessage().startsWith("Trailing token")) {
                return "The request body has content after its JSON value";
            }
            if (field != null) {
                return "Field '" + field + "' has a value of the wrong type"
                        + (mismatch instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException
                        || mismatch.getMessage() != null && mismatch.getMessage().contains("floating-point")
                        ? " (integers only)" : "");
            }
        }
        return "The request body is missing or is not valid JSON of the expected shape";
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static HttpStatus status(CommandRejected.Reason reason) {
        return switch (reason) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case CONFLICT -> HttpStatus.CONFLICT;
            case GONE -> HttpStatus.GONE;
        };
    }
}
