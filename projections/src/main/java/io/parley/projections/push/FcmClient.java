package io.parley.projections.push;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.SendResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The Firebase Admin SDK, set up once from {@link PushProperties}: a service-account key file, the project id and,
 * for tests, another FCM endpoint. Without a key file there is no client and {@link #enabled()} is false: the
 * start-up log says so once and everything else carries on.
 */
@Component
public class FcmClient implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FcmClient.class);

    /** sendEach refuses more than this many messages in one call */
    static final int MAX_BATCH = 500;

    private final FirebaseApp app;
    private final FirebaseMessaging messaging;

    public FcmClient(PushProperties properties) {
        if (!properties.enabled()) {
            log.info("Push notifications are disabled: chat.push.credentials-path is not set");
            this.app = null;
            this.messaging = null;
            return;
        }
        FirebaseOptions.Builder options = FirebaseOptions.builder()
                .setCredentials(credentials(properties))
                .setConnectTimeout(5_000)
                .setReadTimeout(10_000);
        if (properties.projectId() != null && !properties.projectId().isBlank()) {
            options.setProjectId(properties.projectId());
        }
        if (properties.fcmEndpoint() != null) {
            options.setHttpTransport(redirectingTransport(properties.fcmEndpoint()));
        }
        // a name of its own: FirebaseApp names are JVM-global, and another context (a test's) may hold the default
        this.app = FirebaseApp.initializeApp(options.build(), "parley-push-" + UUID.randomUUID());
        this.messaging = FirebaseMessaging.getInstance(app);
        log.info("Push notifications are enabled through FCM (project {}{})", app.getOptions().getProjectId(),
                properties.fcmEndpoint() == null ? "" : ", endpoint " + properties.fcmEndpoint());
    }

    public boolean enabled() {
        return messaging != null;
    }

    /**
     * Sends each message (one HTTP request apiece, as FCM v1 wants) and answers one {@link FcmOutcome} per message,
     * in order. The future never fails: a failure of the whole call becomes a retryable outcome for every message.
     */
    CompletableFuture<List<FcmOutcome>> send(List<Message> messages) {
        if (messages.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (!enabled()) {
            throw new IllegalStateException("push is disabled");
        }
        List<CompletableFuture<List<FcmOutcome>>> chunks = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += MAX_BATCH) {
            chunks.add(sendChunk(messages.subList(from, Math.min(messages.size(), from + MAX_BATCH))));
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new))
                .thenApply(done -> chunks.stream().flatMap(chunk -> chunk.join().stream()).toList());
    }

    private CompletableFuture<List<FcmOutcome>> sendChunk(List<Message> messages) {
        CompletableFuture<List<FcmOutcome>> outcomes = new CompletableFuture<>();
        ApiFutures.addCallback(messaging.sendEachAsync(messages), new ApiFutureCallback<>() {
            @Override
            public void onSuccess(BatchResponse batch) {
                List<FcmOutcome> result = new ArrayList<>(messages.size());
                for (SendResponse response : batch.getResponses()) {
                    result.add(response.isSuccessful() ? FcmOutcome.ACCEPTED : FcmOutcome.of(response.getException()));
                }
                outcomes.complete(result);
            }

            @Override
            public void onFailure(Throwable failure) {
                log.warn("FCM batch of {} failed as a whole; retrying each", messages.size(), failure);
                outcomes.complete(messages.stream().map(m -> FcmOutcome.unknownFailure()).toList());
            }
        }, Runnable::run);
        return outcomes;
    }

    @Override
    public void destroy() {
        if (app != null) {
            app.delete();
        }
    }

    private static ServiceAccountCredentials credentials(PushProperties properties) {
        try (InputStream in = Files.newInputStream(properties.credentialsPath())) {
            // a service-account key, nothing else: GoogleCredentials.fromStream would also take key types that
            // make the SDK fetch credentials from wherever the file points
            return ServiceAccountCredentials.fromStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Firebase service-account key "
                    + properties.credentialsPath() + " (chat.push.credentials-path)", e);
        }
    }

    /**
     * The SDK has FCM's address built in and no setting to change it; it does take an {@link HttpTransport}. This one
     * sends every request to the same path on {@code endpoint} instead of https://fcm.googleapis.com.
     */
    static HttpTransport redirectingTransport(URI endpoint) {
        String base = endpoint.getPath() == null ? "" : endpoint.getPath().replaceAll("/+$", "");
        return new NetHttpTransport.Builder().setConnectionFactory(url -> {
            URL target = new URL(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort(), base + url.getFile());
            return (HttpURLConnection) target.openConnection();
        }).build();
    }
}
