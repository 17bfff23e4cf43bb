package io.parley.gateway.web;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/**
 * RFC 9457 problems with stable types: {@code https://parley.io/problems/<code>}. Clients switch on the type,
 * people read the detail.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://parley.io/problems/";

    private Problems() {
    }

    public static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code));
        problem.setTitle(title(code));
        return problem;
    }

    /** An exception any controller may throw; the global handler renders it as problem+json. */
    public static ErrorResponseException exception(HttpStatusCode status, String code, String detail) {
        return new ErrorResponseException(status, problem(status, code, detail), null);
    }

    static String title(String code) {
        String words = code.replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
