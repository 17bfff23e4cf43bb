package io.parley.bench.baseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ceiling the platform is compared with: Spring's in-memory simple broker, no persistence, no real auth
 * (a CONNECT's bearer token names the user), {@code /app/messages.send} relayed to the other members'
 * {@code /user/queue/messages} and acked on {@code /user/queue/acks}, receipts relayed to
 * {@code /user/queue/receipts}, plus the REST stubs the generator calls (sign-up, token, conversations).
 * Start: {@code java -jar bench.jar baseline-server --port=18080}.
 */
// the search benchmark puts the MongoDB and Elasticsearch clients on this jar's classpath: the baseline uses neither
@SpringBootApplication(proxyBeanMethods = false, exclude = {MongoAutoConfiguration.class,
        ElasticsearchClientAutoConfiguration.class, ElasticsearchRestClientAutoConfiguration.class})
public class BaselineServer {

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>();
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "18080");
        props.put("server.address", "127.0.0.1");
        props.put("spring.main.banner-mode", "off");
        props.put("server.tomcat.max-connections", "30000");
        props.put("server.tomcat.accept-count", "1000");
        props.put("spring.jackson.default-property-inclusion", "non_null");
        for (String a : args) {
            if (a.startsWith("--port=")) {
                props.put("server.port", a.substring(7));
            } else {
                rest.add(a);
            }
        }
        SpringApplication app = new SpringApplication(BaselineServer.class);
        app.setDefaultProperties(props);
        app.run(rest.toArray(String[]::new));
    }
}
