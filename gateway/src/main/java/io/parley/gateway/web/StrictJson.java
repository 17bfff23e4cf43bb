package io.parley.gateway.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * REST request bodies are read strictly (issue 15): one JSON value and nothing after it
 * ({@code FAIL_ON_TRAILING_TOKENS}), integers only where an integer is expected (no {@code 1.5} silently cut to
 * {@code 1}: {@code ACCEPT_FLOAT_AS_INT} off), and well-formed UTF-8 only (RFC 8259, section 8.1). Jackson's own
 * decoder lets overlong forms ({@code C0 80} = U+0000) and encoded surrogates through, so the bytes are checked
 * with the JDK's strict decoder first. Only the MVC converter is replaced: STOMP and outgoing HTTP clients keep
 * the shared ObjectMapper (docs/design.md section 5, REST).
 */
@Configuration(proxyBeanMethods = false)
class StrictJson implements WebMvcConfigurer {

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        for (int i = 0; i < converters.size(); i++) {
            if (converters.get(i) instanceof MappingJackson2HttpMessageConverter jackson) {
                converters.set(i, new MappingJackson2HttpMessageConverter(jackson.getObjectMapper().copy()
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)));
            }
        }
    }

    /** Rejects a JSON body that is not well-formed UTF-8 before Jackson sees it (the body is capped at 1 MB). */
    @ControllerAdvice
    static class Utf8Body extends RequestBodyAdviceAdapter {

        @Override
        public boolean supports(MethodParameter parameter, Type targetType,
                                Class<? extends HttpMessageConverter<?>> converterType) {
            return AbstractJackson2HttpMessageConverter.class.isAssignableFrom(converterType);
        }

        @Override
        public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
                                               Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
            MediaType type = input.getHeaders().getContentType();
            if (type != null && type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset())) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-encoding",
                        "JSON bodies must be UTF-8, not " + type.getCharset().name());
            }
            byte[] body = input.getBody().readAllBytes();
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            } catch (CharacterCodingException e) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-encoding",
                        "The request body is not well-formed UTF-8");
            }
            return new HttpInputMessage() {
                @Override
                public InputStream getBody() {
                    return new ByteArrayInputStream(body);
                }

                @Override
                public HttpHeaders getHeaders() {
                    return input.getHeaders();
                }
            };
        }
    }
}
