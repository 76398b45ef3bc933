package org.dp3q.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.codec.Json;
import org.junit.jupiter.api.Test;

/** A summary and the records after it say what the whole index says, for every batch. */
class IndexSummaryTest {
    private static final long NOW = 1_800_000_000L;
    private static final List<String> BATCHES = List.of("cal-0", "cal-1", "cal-2", "img-0", "img-1", "other");

    @Test
    void a_summary_and_the_records_after_it_give_every_batch_the_start_the_whole_index_gives() {
        Random random = new Random(12);
        for (int round = 0; round < 300; round++) {
            List<StreamReader.Record> records = index(random, 1 + random.nextInt(60));
            int cut = 1 + random.nextInt(records.size());
            IndexState whole = IndexState.empty(NOW);
            records.forEach(whole::offer);
            IndexState prefix = IndexState.empty(NOW);
            records.subList(0, cut).forEach(prefix::offer);

            IndexState resumed = IndexSummary.read(summaryRecord(prefix, 10_000 + cut), NOW);
            // the tail read back from before the cut: records the summary already holds are passed over
            records.subList(Math.max(0, cut - 5), records.size()).forEach(resumed::offer);

            for (String batch : BATCHES) {
                assertEquals(whole.start(batch), resumed.start(batch), "round " + round + ", cut " + cut + ", " + batch);
            }
            assertEquals(whole.lastKnown(), resumed.lastKnown());
            assertEquals(whole.through(), resumed.through());
        }
    }

    @Test
    void the_smallest_recorded_offset_wins_and_a_workers_record_resolves_to_the_offset_recorded_before_it() {
        IndexState state = IndexState.empty(NOW);
        state.offer(opened(0, "a", 40L));
        state.offer(worker(1, "w"));
        state.offer(opened(2, "a", 30L));
        state.offer(opened(3, "b", 55L));
        state.offer(worker(4, "b"));
        state.offer(worker(5, "v"));

        assertEquals(Optional.of(new BatchStart(30L, true)), state.start("a"));
        assertEquals(Optional.of(new BatchStart(55L, true)), state.start("b"));
        assertEquals(Optional.of(new BatchStart(40L, false)), state.start("w"));
        assertEquals(Optional.of(new BatchStart(55L, false)), state.start("v"));
        assertEquals(Optional.empty(), state.start("never"));
    }

    @Test
    void a_summary_forgets_batches_it_has_held_past_the_retention() {
        IndexState old = IndexState.empty(NOW - 9 * 86_400);
        old.offer(opened(0, "last-week", 1L));
        IndexState state = IndexSummary.read(summaryRecord(old, 1), NOW);
        state.offer(opened(1, "today", 2L));

        IndexState kept = IndexSummary.read(record(IndexSummary.properties(state),
                IndexSummary.body(state, NOW - BatchIndex.FORGET_AFTER.toSeconds()), 2), NOW);

        assertEquals(Optional.empty(), kept.start("last-week"));
        assertEquals(Optional.of(new BatchStart(2L, true)), kept.start("today"));
    }

    @Test
    void the_tail_goes_on_from_its_newest_summary_and_not_from_one_that_leaves_a_gap() {
        IndexState early = IndexState.empty(NOW);
        early.offer(opened(100, "a", 1L));
        IndexState later = IndexState.empty(NOW);
        later.offer(opened(100, "a", 1L));
        later.offer(opened(101, "b", 2L));
        IndexTail tail = new IndexTail();
        tail.offer(opened(101, "b", 2L));
        tail.offer(summaryRecord(later, 102));
        tail.offer(summaryRecord(early, 103));
        tail.offer(opened(104, "c", 3L));

        IndexState state = tail.fromSummary(NOW).orElseThrow();

        assertEquals(101, tail.summaryThrough());
        assertEquals(Optional.of(new BatchStart(1L, true)), state.start("a"));
        assertEquals(Optional.of(new BatchStart(3L, true)), state.start("c"));
        assertEquals(104, state.through());

        IndexTail gap = new IndexTail();
        gap.offer(opened(150, "d", 4L));
        gap.offer(summaryRecord(later, 151));
        assertEquals(Optional.empty(), gap.fromSummary(NOW), "records 102 to 149 were not read");
    }

    @Test
    void an_unreadable_summary_or_index_record_is_passed_over_and_the_next_look_up_writes_a_summary() {
        IndexTail tail = new IndexTail();
        tail.offer(opened(7, "a", 1L));
        tail.offer(record(new AMQP.BasicProperties.Builder().type(IndexSummary.TYPE)
                .headers(Map.of(IndexSummary.THROUGH_HEADER, 7L)).build(), "not gzip".getBytes(StandardCharsets.UTF_8), 8));
        tail.offer(record(new AMQP.BasicProperties.Builder().type(IndexRecord.TYPE)
                .headers(Map.of("dp3q-batch", "garbage")).build(), "\u0000{".getBytes(StandardCharsets.UTF_8), 9));

        assertEquals(Optional.empty(), tail.fromSummary(NOW));
        assertEquals(-1, tail.summaryThrough());
        IndexState state = tail.fromRecords(NOW);
        assertEquals(Optional.of(new BatchStart(1L, true)), state.start("a"));
        assertEquals(Optional.empty(), state.start("garbage"));
        assertEquals(9, state.through());
    }

    @Test
    void twenty_thousand_batches_fit_a_summary_of_a_few_hundred_kilobytes() {
        IndexState state = IndexState.empty(NOW);
        for (int i = 0; i < 20_000; i++) {
            state.offer(opened(i, "pipeline-run-" + (i / 40) + "-barrier-" + (i % 40), (long) i * 37));
        }
        byte[] body = IndexSummary.body(state, 0);

        assertTrue(body.length < 400_000, body.length + " bytes");
        assertEquals(Optional.of(new BatchStart(19_999L * 37, true)),
                IndexSummary.read(record(IndexSummary.properties(state), body, 20_000), NOW).start("pipeline-run-499-barrier-39"));
    }

    /** The body's form, which the Python client reads and writes too ({@code schemas/examples/index/summary.json}). */
    @Test
    void the_summary_example_reads_as_documented_and_a_state_writes_back_the_same() throws Exception {
        byte[] example = Files.readAllBytes(Path.of("../schemas/examples/index/summary.json"));
        IndexState state = IndexSummary.read(record(new AMQP.BasicProperties.Builder().type(IndexSummary.TYPE)
                .headers(Map.of(IndexSummary.THROUGH_HEADER, 41L)).build(), gzip(example), 42), NOW);

        assertEquals(Optional.of(new BatchStart(120L, true)), state.start("cal-0"));
        assertEquals(Optional.of(new BatchStart(480L, true)), state.start("cal-1"));
        assertEquals(Optional.of(new BatchStart(930L, false)), state.start("raw-0"));
        assertEquals(Optional.of(new BatchStart(null, false)), state.start("raw-first"));
        assertEquals(930L, state.lastKnown());
        assertEquals(41, state.through());
        JsonNode written = Json.MAPPER.readTree(new GZIPInputStream(new ByteArrayInputStream(IndexSummary.body(state, 0))));
        JsonNode expected = Json.MAPPER.readTree(example);
        assertEquals(((ObjectNode) expected.deepCopy()).without("batches"), ((ObjectNode) written.deepCopy()).without("batches"));
        assertEquals(Set.copyOf(items(expected.get("batches"))), Set.copyOf(items(written.get("batches"))));
    }

    private static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static byte[] gzip(byte[] bytes) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zipped = new java.util.zip.GZIPOutputStream(out)) {
            zipped.write(bytes);
        }
        return out.toByteArray();
    }

    /** A random index: submits' records, workers' records, records without the offset header, markers. */
    private static List<StreamReader.Record> index(Random random, int size) {
        List<StreamReader.Record> records = new ArrayList<>();
        long eventsOffset = 0;
        for (int offset = 0; offset < size; offset++) {
            String batch = BATCHES.get(random.nextInt(BATCHES.size()));
            eventsOffset += random.nextInt(50);
            switch (random.nextInt(4)) {
                case 0 -> records.add(worker(offset, batch));
                case 1 -> records.add(withoutHeader(offset, batch, eventsOffset));
                case 2 -> records.add(record(new AMQP.BasicProperties.Builder().type("dp3q.catch-up").build(), new byte[0], offset));
                default -> records.add(opened(offset, batch, eventsOffset));
            }
        }
        return records;
    }

    private static StreamReader.Record summaryRecord(IndexState state, long offset) {
        return record(IndexSummary.properties(state), IndexSummary.body(state, 0), offset);
    }

    private static StreamReader.Record opened(long offset, String batch, Long eventsOffset) {
        IndexRecord index = IndexRecord.of(batch, eventsOffset, IndexRecord.BY_SUBMIT);
        return record(index.properties(), Json.bytes(index), offset);
    }

    private static StreamReader.Record worker(long offset, String batch) {
        IndexRecord index = IndexRecord.of(batch, null, IndexRecord.BY_WORKER);
        return record(index.properties(), Json.bytes(index), offset);
    }

    private static StreamReader.Record withoutHeader(long offset, String batch, long eventsOffset) {
        IndexRecord index = IndexRecord.of(batch, eventsOffset, IndexRecord.BY_SUBMIT);
        return record(index.properties().builder().headers(Map.of("dp3q-batch", batch)).build(), Json.bytes(index), offset);
    }

    private static StreamReader.Record record(AMQP.BasicProperties properties, byte[] body, long offset) {
        Map<String, Object> headers = new HashMap<>(properties.getHeaders() == null ? Map.of() : properties.getHeaders());
        headers.put(StreamReader.OFFSET_HEADER, offset);
        return new StreamReader.Record(properties.builder().headers(headers).build(), body);
    }
}
