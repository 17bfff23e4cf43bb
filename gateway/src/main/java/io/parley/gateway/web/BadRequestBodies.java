package io.parley.gateway.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.multipart.MultipartException;

/**
 * Request bodies that cannot be read as their {@code Content-Type} says: a {@code multipart/form-data} body
 * without a boundary, an undecodable {@code x-www-form-urlencoded} body (parsed by a filter before any
 * controller runs), a form parameter name the security firewall refuses. All are answered 400
 * {@code malformed-body}, wherever they surface (a controller advice or {@code /error}).
 */
final class BadRequestBodies {

    private BadRequestBodies() {
    }

    static boolean isUnreadableBody(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MultipartException || t instanceof HttpMessageNotReadableException
                    || t instanceof RequestRejectedException) {
                return true;
            }
        }
        return false;
    }

    static ProblemDetail problem() {
        return Problems.problem(HttpStatus.BAD_REQUEST, "malformed-body",
                "The request could not be read as its Content-Type says");
    }
}
