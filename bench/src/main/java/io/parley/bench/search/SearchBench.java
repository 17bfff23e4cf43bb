package io.parley.bench.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.conversation.MessageType;
import io.parley.projections.search.MessageIndex;
import io.parley.projections.search.MessageSearchProjection;
import io.parley.projections.search.SearchBatchInterceptor;
import io.parley.projections.search.SearchIndexProperties;
import io.parley.query.search.MessageSearch;
import org.HdrHistogram.Histogram;
import org.apache.http.HttpHost;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.elasticsearch.client.RestClient;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Search benchmark (not a test, not run in CI). Feeds generated conversation events through the
 * {@code message-search} projection exactly as its tracking processor does (Axon batches in a
 * {@link BatchingUnitOfWork}, the projection's interceptor writing one {@code _bulk} plus the MongoDB state per
 * batch), then times word queries through the query side's {@link MessageSearch} for users who belong to
 * {@code --member-of} conversations (membership read from MongoDB + the terms-filtered query).
 * <p>
 * Needs an Elasticsearch 8.19 node ({@code --es}); MongoDB is an in-process mongo-java-server with the H2 backend,
 * as in the embedded stack. Writes to its own aliases ({@code bench-messages*}), replacing them on each run.
 */
public final class SearchBench {

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (String a : args) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            opt.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        String es = opt.getOrDefault("es", "http://127.0.0.1:9200");
        int messages = Integer.parseInt(opt.getOrDefault("messages", "1000000"));
        int conversations = Integer.parseInt(opt.getOrDefault("conversations", "20000"));
        int users = Integer.parseInt(opt.getOrDefault("users", "10000"));
        int memberOf = Integer.parseInt(opt.getOrDefault("member-of", "200"));
        int probes = Integer.parseInt(opt.getOrDefault("probe-users", "100"));
        int batchSize = Integer.parseInt(opt.getOrDefault("batch", "500"));
        int queries = Integer.parseInt(opt.getOrDefault("queries", "2000"));
        int readEvery = Integer.parseInt(opt.getOrDefault("read-every", "5"));

        String reuse = opt.get("reuse-mongo");
        Path mongoDir = reuse != null ? Path.of(reuse) : Files.createTempDirectory("bench-mongo");
        MongoServer mongoServer = new MongoServer(new H2Backend(mongoDir.resolve("mongo.mv").toString()));
        mongoServer.bind("127.0.0.1", 0);
        InetSocketAddress mongoAddress = mongoServer.getLocalAddress();
        MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + mongoAddress.getPort());
        MongoDatabase database = mongo.getDatabase("bench");
        RestClient rest = RestClient.builder(HttpHost.create(es))
                .setRequestConfigCallback(rc -> rc.setSocketTimeout(120_000)).build();
        ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest,
                new JacksonJsonpMapper(new ObjectMapper().registerModule(new JavaTimeModule()))));

        SearchIndexProperties properties = new SearchIndexProperties("bench-messages", "bench-messages-write",
                "bench-messages-v", "1s", 5000, 10000, Duration.ofSeconds(5));
        if (reuse != null) {
            searchOnly(client, database, properties, memberOf, queries);
            mongo.close();
            mongoServer.shutdown();
            rest.close();
            System.exit(0);
        }
        // a fresh index each run (deleted by name: the node refuses wildcard deletes)
        for (String old : client.indices().get(g -> g.index("bench-messages-v*")).result().keySet()) {
            client.indices().delete(d -> d.index(old));
        }
        MessageIndex index = new MessageIndex(client, properties);
        index.ensureIndex();
        MessageSearchProjection projection = new MessageSearchProjection(index, database, properties);
        SearchBatchInterceptor interceptor = new SearchBatchInterceptor(projection);
        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(projection);

        Random random = new Random(7);
        Vocabulary words = new Vocabulary(random, 20_000);
        String[] userIds = new String[users];
        for (int i = 0; i < users; i++) {
            userIds[i] = UUID.randomUUID().toString();
        }
        // probe users (the searchers) are members of exactly memberOf conversations each
        String[] probeIds = new String[probes];
        List<List<String>> members = new ArrayList<>(conversations);
        for (int c = 0; c < conversations; c++) {
            members.add(new ArrayList<>());
        }
        for (int p = 0; p < probes; p++) {
            probeIds[p] = UUID.randomUUID().toString();
            Set<Integer> chosen = new LinkedHashSet<>();
            while (chosen.size() < memberOf) {
                chosen.add(random.nextInt(conversations));
            }
            for (int c : chosen) {
                members.get(c).add(probeIds[p]);
            }
        }
        String[] conversationIds = new String[conversations];
        List<EventMessage<?>> setup = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            conversationIds[c] = UUID.randomUUID().toString();
            int size = random.nextInt(4) == 0 ? 3 + random.nextInt(20) : 2; // three in four are direct chats
            for (int m = 0; m < size; m++) {
                members.get(c).add(userIds[random.nextInt(users)]);
            }
            setup.add(GenericEventMessage.asEventMessage(new GroupCreated(conversationIds[c], "c" + c,
                    members.get(c).get(0), List.copyOf(members.get(c)), Instant.EPOCH)));
        }
        long s0 = System.nanoTime();
        for (int from = 0; from < setup.size(); from += batchSize) {
            process(interceptor, handlers, setup.subList(from, Math.min(setup.size(), from + batchSize)));
        }
        System.out.printf("memberships of %,d conversations projected in %.1f s%n", conversations,
                (System.nanoTime() - s0) / 1e9);

        long[] seqs = new long[conversations];
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        long spanMs = Duration.ofDays(30).toMillis();
        long events = 0;
        long t0 = System.nanoTime();
        List<EventMessage<?>> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < messages; i++) {
            int c = random.nextInt(conversations);
            List<String> who = members.get(c);
            String sender = who.get(random.nextInt(who.size()));
            long seq = ++seqs[c];
            Instant sentAt = start.plusMillis(spanMs * i / messages);
            batch.add(GenericEventMessage.asEventMessage(new MessageSent(conversationIds[c], seq,
                    UUID.randomUUID().toString(), UUID.randomUUID().toString(), sender, MessageType.TEXT,
                    words.sentence(random), null, null, sentAt)));
            if (readEvery > 0 && i % readEvery == 0) {
                String reader = who.get(random.nextInt(who.size()));
                batch.add(GenericEventMessage.asEventMessage(new MessagesRead(conversationIds[c], reader, seq,
                        sentAt.plusMillis(500 + random.nextInt(60_000)))));
            }
            if (batch.size() >= batchSize) {
                events += batch.size();
                process(interceptor, handlers, batch);
                batch = new ArrayList<>(batchSize);
            }
            if ((i + 1) % 100_000 == 0) {
                System.out.printf("indexed %,d messages, %.0f msg/s%n", i + 1,
                        (i + 1) / ((System.nanoTime() - t0) / 1e9));
            }
        }
        events += batch.size();
        process(interceptor, handlers, batch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        index.refresh();
        String concrete = index.readIndex();
        var stats = client.indices().stats(s -> s.index(concrete)).indices().get(concrete).primaries();
        long docs = stats.docs().count();
        long bytes = stats.store().sizeInBytes();

        MessageSearch search = new MessageSearch(index, database, properties);
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        long hits = 0;
        for (int q = 0; q < queries + 200; q++) {
            String user = probeIds[random.nextInt(probes)];
            String word = words.queryWord(random);
            long s = System.nanoTime();
            MessageSearch.Page page = search.search(new MessageSearch.Request(user, word, null, null, null, null,
                    null, null, MessageSearch.Order.NEWEST, 20));
            long micros = (System.nanoTime() - s) / 1000;
            if (q >= 200) { // the first 200 warm caches and the JIT
                latency.recordValue(micros);
                hits += page.hits().size();
            }
        }

        System.out.println("== search benchmark ==");
        System.out.printf("machine: %d cores, JVM max heap %d MB, Elasticsearch node %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, es);
        System.out.printf("load: %,d messages (%,d events incl. %,d conversations created and read watermarks) in "
                        + "%,d conversations, %,d users, Axon batch %d%n", messages, events + setup.size(),
                setup.size(), conversations, users, batchSize);
        System.out.printf("indexing: %.1f s, %,.0f messages/s (%,.0f events/s) through the projection%n",
                seconds, messages / seconds, events / seconds);
        System.out.printf("index: %,d documents, %.1f MB primary store (%.0f bytes/message)%n", docs,
                bytes / 1048576.0, (double) bytes / Math.max(1, docs));
        System.out.printf("search: %,d word queries, users in %d conversations each, newest-first page of 20, "
                        + "avg %.1f hits/page%n", queries, memberOf, (double) hits / queries);
        System.out.printf("search latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(90) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);

        mongo.close();
        mongoServer.shutdown();
        rest.close();
        System.exit(0); // the in-process MongoDB server leaves non-daemon threads behind
    }

    /**
     * {@code --reuse-mongo=<mongo.mv of an earlier run>}: only the search half, against the index and membership
     * state an earlier run left; the searchers are the users who belong to {@code --member-of} conversations.
     */
    private static void searchOnly(ElasticsearchClient client, MongoDatabase database,
                                   SearchIndexProperties properties, int memberOf, int queries) throws Exception {
        Random random = new Random(7);
        Vocabulary words = new Vocabulary(random, 20_000); // same seed, same words as the indexing run
        MessageIndex index = new MessageIndex(client, properties);
        String concrete = index.readIndex();
        List<String> probes = new ArrayList<>();
        for (org.bson.Document d : database.getCollection("search_members_" + concrete).find()) {
            if (d.getList("c", org.bson.Document.class, List.of()).size() == memberOf) {
                probes.add(d.getString("_id"));
            }
        }
        var stats = client.indices().stats(st -> st.index(concrete)).indices().get(concrete).primaries();
        MessageSearch search = new MessageSearch(index, database, properties);
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        long hits = 0;
        for (int q = 0; q < queries + 200; q++) {
            String user = probes.get(random.nextInt(probes.size()));
            long s = System.nanoTime();
            MessageSearch.Page page = search.search(new MessageSearch.Request(user, words.queryWord(random), null,
                    null, null, null, null, null, MessageSearch.Order.NEWEST, 20));
            long micros = (System.nanoTime() - s) / 1000;
            if (q >= 200) {
                latency.recordValue(micros);
                hits += page.hits().size();
            }
        }
        System.out.println("== search benchmark (search only, index from an earlier run) ==");
        System.out.printf("machine: %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("index: %,d documents, %.1f MB primary store (%.0f bytes/message)%n",
                stats.docs().count(), stats.store().sizeInBytes() / 1048576.0,
                (double) stats.store().sizeInBytes() / Math.max(1, stats.docs().count()));
        System.out.printf("search: %,d word queries by %d users in %d conversations each, newest-first page of 20, "
                + "avg %.1f hits/page%n", queries, probes.size(), memberOf, (double) hits / queries);
        System.out.printf("search latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(90) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
    }

    /** One Axon batch, as the tracking processor runs it: handlers, interceptor, then commit. */
    private static void process(SearchBatchInterceptor interceptor, AnnotationEventHandlerAdapter handlers,
                                List<EventMessage<?>> events) throws Exception {
        if (events.isEmpty()) {
            return;
        }
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(events);
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> interceptor.handle(unitOfWork,
                () -> handlers.handle(unitOfWork.getMessage())));
        if (result.isExceptional()) {
            throw new IllegalStateException("batch failed", result.exceptionResult());
        }
    }

    /** Zipf-distributed words, so common words match many messages and rare ones few, as in real chat. */
    private static final class Vocabulary {
        private final String[] words;
        private final double[] cumulative;

        Vocabulary(Random random, int size) {
            words = new String[size];
            cumulative = new double[size];
            double sum = 0;
            for (int i = 0; i < size; i++) {
                StringBuilder w = new StringBuilder();
                int length = 3 + random.nextInt(7);
                for (int j = 0; j < length; j++) {
                    w.append((char) ('a' + random.nextInt(26)));
                }
                words[i] = w.toString();
                sum += 1.0 / (i + 1);
                cumulative[i] = sum;
            }
            for (int i = 0; i < size; i++) {
                cumulative[i] /= sum;
            }
        }

        String sentence(Random random) {
            int n = 3 + random.nextInt(13);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    s.append(' ');
                }
                int k = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
                s.append(words[Math.min(words.length - 1, k < 0 ? -k - 1 : k)]);
            }
            return s.toString();
        }

        /** Words from rank 10 to 2,000: neither stop-word-like nor absent. */
        String queryWord(Random random) {
            return words[10 + random.nextInt(1990)];
        }
    }
}
