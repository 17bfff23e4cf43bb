package io.parley.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.projections.audit.StoredEvent;
import io.parley.projections.audit.StoredEvents;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Run in a JVM of its own with a small heap by {@link ExportMemoryTest}: exports far more event bytes than that heap
 * holds, from a store that makes its rows when asked (so only the export could hold them), writing NDJSON lines as
 * the export endpoint does, to a sink that only counts. Prints the lines and bytes written; an export that
 * accumulated would die of OutOfMemoryError instead.
 */
public final class ExportInSmallHeap {

    public static void main(String[] args) {
        int events = Integer.parseInt(args[0]);
        int textBytes = Integer.parseInt(args[1]);
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        EventDecoder decoder = new EventDecoder(JacksonSerializer.builder().objectMapper(json).build(),
                new EventUpcasterChain(), json);
        AuditLog log = new AuditLog(new Generated(events, textBytes), decoder, new AuditProperties(200, 1000));
        long[] written = {0, 0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                written[1]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[1] += len;
            }
        };
        log.export(AuditQuery.parse(null, null, null, null, null, null), entry -> {
            try {
                sink.write(json.writeValueAsBytes(entry));
                sink.write('\n');
                written[0]++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.out.println("lines=" + written[0] + " bytes=" + written[1]
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }

    /** A store of {@code count} MessageSent rows of {@code textBytes} characters each, made on demand. */
    private record Generated(int count, int textBytes) implements StoredEvents {

        @Override
        public List<StoredEvent> after(long position, int limit, Criteria criteria) {
            List<StoredEvent> rows = new ArrayList<>(limit);
            for (long p = position + 1; p < count && rows.size() < limit; p++) {
                rows.add(row(p));
            }
            return rows;
        }

        private StoredEvent row(long p) {
            String text = Long.toString(p).repeat(textBytes / Long.toString(p).length() + 1).substring(0, textBytes);
            String payload = "{\"conversationId\":\"c\",\"seq\":" + p + ",\"messageId\":\"m" + p
                    + "\",\"senderId\":\"s\",\"type\":\"TEXT\",\"text\":\"" + text + "\",\"sentAt\":\"2026-01-01T00:00:00Z\"}";
            return new StoredEvent(p, "e" + p, "Conversation", "c", p,
                    DateTimeUtils.formatInstant(Instant.EPOCH.plusSeconds(p)),
                    "io.parley.api.conversation.ConversationEvents$MessageSent", "1",
                    payload.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public List<StoredEvent> at(Collection<Long> positions) {
            return positions.stream().filter(p -> p >= 0 && p < count).sorted().map(this::row).toList();
        }

        @Override
        public List<StoredEvent> byEventIds(Collection<String> eventIds) {
            // ids are "e" + position (see row)
            return at(eventIds.stream().filter(id -> id.matches("e\\d+"))
                    .map(id -> Long.parseLong(id.substring(1))).toList());
        }

        @Override
        public boolean exists(long position) {
            return position >= 0 && position < count;
        }

        @Override
        public List<StoredEvent> ofAggregate(String aggregateId, long afterSeq, Instant until, int limit) {
            // every generated row belongs to conversation "c", its seq being its position, one second apart
            List<StoredEvent> rows = new ArrayList<>();
            if (!"c".equals(aggregateId)) {
                return rows;
            }
            for (long p = Math.max(0, afterSeq + 1); p < count && rows.size() < limit
                    && !Instant.EPOCH.plusSeconds(p).isAfter(until); p++) {
                rows.add(row(p));
            }
            return rows;
        }
    }
}
