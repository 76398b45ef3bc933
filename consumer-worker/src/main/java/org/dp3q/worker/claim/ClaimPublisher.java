package org.dp3q.worker.claim;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConfirmListener;
import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;

/**
 * Publishes claim records from any thread, each with its own future: done when the broker confirmed the record
 * stored in {@code dp3q.claims}, failed when it was nacked, returned unroutable, or its channel went down first.
 * One confirm-mode channel of the worker's connection; a channel the broker closed is replaced at the next publish.
 */
final class ClaimPublisher {
    private final Connection connection;
    private final NavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();
    private final Map<String, Long> sequenceOf = new ConcurrentHashMap<>();
    private Channel channel;

    ClaimPublisher(Connection connection) {
        this.connection = connection;
    }

    synchronized CompletableFuture<Void> publish(ClaimRecord record) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        try {
            Channel open = channel();
            long sequence = open.getNextPublishSeqNo();
            String id = UUID.randomUUID().toString();
            pending.put(sequence, confirmed);
            sequenceOf.put(id, sequence);
            confirmed.whenComplete((ok, error) -> sequenceOf.remove(id));
            open.basicPublish(Topology.CLAIMS_EXCHANGE, "", true,
                    new AMQP.BasicProperties.Builder().messageId(id).contentType("application/json").deliveryMode(2).build(),
                    Json.bytes(record));
        } catch (IOException | RuntimeException e) {
            confirmed.completeExceptionally(e);
        }
        return confirmed;
    }

    private Channel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            Channel opened = connection.createChannel();
            opened.confirmSelect();
            opened.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long tag, boolean multiple) {
                    settle(tag, multiple, null);
                }

                @Override
                public void handleNack(long tag, boolean multiple) {
                    settle(tag, multiple, new IOException("the broker refused the claim record"));
                }
            });
            opened.addReturnListener(back -> {
                Long sequence = back.getProperties().getMessageId() == null ? null
                        : sequenceOf.get(back.getProperties().getMessageId());
                CompletableFuture<Void> lost = sequence == null ? null : pending.remove(sequence);
                if (lost != null) {
                    lost.completeExceptionally(new IOException("no queue took the claim record: " + back.getReplyText()));
                }
            });
            // a recovered channel numbers its publishes from 1 again: what was pending will never be confirmed
            opened.addShutdownListener(cause -> failPending(cause));
            channel = opened;
        }
        return channel;
    }

    private void settle(long tag, boolean multiple, Exception error) {
        var settled = multiple ? pending.headMap(tag, true) : pending.subMap(tag, true, tag, true);
        for (CompletableFuture<Void> future : settled.values()) {
            if (error == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(error);
            }
        }
        settled.clear();
    }

    private void failPending(Exception cause) {
        var all = pending.headMap(Long.MAX_VALUE, true);
        for (CompletableFuture<Void> future : all.values()) {
            future.completeExceptionally(new IOException("the claims channel closed: " + cause.getMessage()));
        }
        all.clear();
    }
}
