package io.parley.gateway.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a controller (a filter failing, the container refusing a request) end up at
 * {@code /error}: answer them as problems too, instead of Boot's default JSON or whitelabel page.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c ? HttpStatus.resolve(c) : null;
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        if (status.is5xxServerError() && BadRequestBodies.isUnreadableBody(
                (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))) {
            // a form or multipart body a filter could not decode is the client's mistake, not ours
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(BadRequestBodies.problem());
        }
        String type = switch (status) {
            case NOT_FOUND -> "not-found";
            case PAYLOAD_TOO_LARGE -> "payload-too-large";
            case BAD_REQUEST -> "bad-request";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            default -> status.is5xxServerError() ? "internal-error" : "http-" + status.value();
        };
        String detail = status.is5xxServerError() ? "Something went wrong on our side; it has been logged"
                : status.getReasonPhrase();
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.problem(status, type, detail));
    }
}
