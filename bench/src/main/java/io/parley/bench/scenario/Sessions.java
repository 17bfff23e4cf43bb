package io.parley.bench.scenario;

import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.stomp.StompClient;
import io.parley.bench.stomp.UserSession;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The virtual users' STOMP sessions: opening them, and counting (with a sample of reasons) what went wrong. */
final class Sessions {

    private final StompClient client;
    private final URI wsUri;
    private final boolean spreadRoutes;
    private final String host;
    private final List<Conn> conns = new CopyOnWriteArrayList<>();
    private final AtomicLong errorFrames = new AtomicLong();
    private final AtomicLong closedSessions = new AtomicLong();
    private final Map<String, AtomicLong> errorSamples = new ConcurrentHashMap<>();
    private final UserSession.Listener listener = new UserSession.Listener() {
        @Override
        public void onError(UserSession s, String message) {
            errorFrames.incrementAndGet();
            sample("stomp-error: " + message);
        }

        @Override
        public void onClosed(UserSession s, String reason) {
            closedSessions.incrementAndGet();
            if (!stopping) {
                sample("closed: " + reason);
            }
        }
    };
    private volatile boolean stopping;

    /**
     * @param spreadRoutes add {@code route=c<n>} to each session's WebSocket URL, so a load balancer that routes by
     *                     it (docker/nginx.conf: {@code ?route=}, then cookie, then client address) spreads the
     *                     generator's sessions, which all come from one address, over the nodes
     */
    Sessions(StompClient client, URI wsUri, String host, boolean spreadRoutes) {
        this.client = client;
        this.wsUri = wsUri;
        this.host = host;
        this.spreadRoutes = spreadRoutes;
    }

    List<Conn> all() {
        return conns;
    }

    Conn open(User u) {
        int index = conns.size();
        URI uri = !spreadRoutes ? wsUri
                : URI.create(wsUri + (wsUri.getRawQuery() == null ? "?" : "&") + "route=c" + index);
        Conn c = new Conn(u, index, client.open(uri, host, u.token(), listener));
        conns.add(c);
        return c;
    }

    /** Opens one session per user, {@code parallel} handshakes at a time, waits for CONNECTED, then subscribes. */
    List<Conn> connectAll(List<User> users, int parallel, Consumer<Conn> subscribe) throws Exception {
        List<Conn> out = new ArrayList<>();
        Semaphore inFlight = new Semaphore(parallel);
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (User u : users) {
            inFlight.acquire();
            Conn c = open(u);
            out.add(c);
            fs.add(c.session.connected().whenComplete((f, e) -> inFlight.release()));
        }
        for (CompletableFuture<?> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        out.forEach(subscribe);
        return out;
    }

    /** Counts one occurrence of a failure; the first 20 distinct reasons are kept. */
    void sample(String what) {
        String k = what.length() > 160 ? what.substring(0, 160) : what;
        if (errorSamples.size() < 20 || errorSamples.containsKey(k)) {
            errorSamples.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet();
        }
    }

    /** The generator's side of the report; closes every session (closes from here on are not failures). */
    void closeAll(Map<String, Object> generator) {
        stopping = true;
        generator.put("sessions_opened", conns.size());
        generator.put("sessions_closed_by_peer_or_error", closedSessions.get());
        generator.put("error_frames", errorFrames.get());
        if (!errorSamples.isEmpty()) {
            generator.put("error_samples", new LinkedHashMap<>(errorSamples));
        }
        for (Conn c : conns) {
            c.session.close();
        }
    }
}
