package org.dp3q.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.rabbitmq.client.AMQP;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.codec.Json;

/**
 * A record of {@code dp3q.batches} that holds the whole index's state up to offset {@code through}: where every
 * batch of the last days begins. A look-up reads the index's last records, takes the newest summary among them and
 * goes on from its {@code through}, so its cost is the summary and those records, not the week's index. Readers
 * that do not know the type pass it over, as they pass over markers.
 * <p>
 * The body is gzipped JSON, one array per batch so that twenty thousand batches read in milliseconds:
 * {@code {"schema":"dp3q.batch-summary/1","through":T,"last_known":L,"batches":[[name,exact,from_worker,worker_bound,seen],...]}},
 * {@code exact} and {@code worker_bound} an events offset or null, {@code seen} when a summary first held the batch
 * (epoch seconds).
 */
final class IndexSummary {
    static final String SCHEMA = "dp3q.batch-summary/1";
    static final String TYPE = "dp3q.batch-summary";
    /** Header with {@code through}: a reader picks the newest summary without unzipping the others. */
    static final String THROUGH_HEADER = "dp3q-summary-through";

    private IndexSummary() {
    }

    static boolean is(StreamReader.Record record) {
        return TYPE.equals(record.properties().getType()) && record.headerLong(THROUGH_HEADER) != null;
    }

    static AMQP.BasicProperties properties(IndexState state) {
        return new AMQP.BasicProperties.Builder().contentType("application/json").contentEncoding("gzip").deliveryMode(2)
                .type(TYPE).headers(Map.of(THROUGH_HEADER, state.through())).build();
    }

    /** The state as a summary's body, without the batches it first held before {@code forgetBefore} (epoch seconds). */
    static byte[] body(IndexState state, long forgetBefore) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(new GZIPOutputStream(bytes))) {
            out.writeStartObject();
            out.writeStringField("schema", SCHEMA);
            out.writeNumberField("through", state.through());
            writeOffset(out, "last_known", state.lastKnown());
            out.writeArrayFieldStart("batches");
            for (Map.Entry<String, IndexState.Entry> batch : state.batches().entrySet()) {
                IndexState.Entry entry = batch.getValue();
                if (entry.seenEpochS() >= forgetBefore) {
                    out.writeStartArray();
                    out.writeString(batch.getKey());
                    writeOffset(out, entry.exact());
                    out.writeBoolean(entry.fromWorker());
                    writeOffset(out, entry.workerBound());
                    out.writeNumber(entry.seenEpochS());
                    out.writeEndArray();
                }
            }
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The state a summary holds; throws when its body is not one. */
    static IndexState read(StreamReader.Record record, long nowEpochS) {
        try (JsonParser in = Json.MAPPER.getFactory().createParser(new GZIPInputStream(new ByteArrayInputStream(record.body())))) {
            Map<String, IndexState.Entry> batches = new HashMap<>();
            Long through = null;
            Long lastKnown = null;
            boolean schema = false;
            expect(in, JsonToken.START_OBJECT);
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                JsonToken value = in.nextToken();
                switch (field) {
                    case "schema" -> schema = SCHEMA.equals(in.getValueAsString());
                    case "through" -> through = in.getLongValue();
                    case "last_known" -> lastKnown = offset(in);
                    case "batches" -> readBatches(in, value, batches);
                    default -> in.skipChildren();
                }
            }
            if (!schema || through == null) {
                throw new IOException("not a " + SCHEMA + " record");
            }
            return new IndexState(batches, lastKnown, through, nowEpochS);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("an unreadable index summary at offset " + record.offset() + ": " + e, e);
        }
    }

    private static void readBatches(JsonParser in, JsonToken start, Map<String, IndexState.Entry> batches) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw new IOException("batches is not an array");
        }
        while (in.nextToken() == JsonToken.START_ARRAY) {
            in.nextToken();
            String name = in.getValueAsString();
            in.nextToken();
            Long exact = offset(in);
            in.nextToken();
            boolean fromWorker = in.getBooleanValue();
            in.nextToken();
            Long workerBound = offset(in);
            in.nextToken();
            long seen = in.getLongValue();
            expect(in, JsonToken.END_ARRAY);
            if (name == null) {
                throw new IOException("a batch without a name");
            }
            batches.put(name, new IndexState.Entry(exact, fromWorker, workerBound, seen));
        }
    }

    private static Long offset(JsonParser in) throws IOException {
        return in.currentToken() == JsonToken.VALUE_NULL ? null : in.getLongValue();
    }

    private static void writeOffset(JsonGenerator out, Long offset) throws IOException {
        if (offset == null) {
            out.writeNull();
        } else {
            out.writeNumber(offset);
        }
    }

    private static void writeOffset(JsonGenerator out, String field, Long offset) throws IOException {
        out.writeFieldName(field);
        writeOffset(out, offset);
    }

    private static void expect(JsonParser in, JsonToken token) throws IOException {
        if (in.nextToken() != token) {
            throw new IOException("expected " + token + " at " + in.currentLocation());
        }
    }
}
