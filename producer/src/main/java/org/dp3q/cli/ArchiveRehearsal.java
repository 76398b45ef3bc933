package org.dp3q.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.Event;
import org.dp3q.event.EventRecord;
import org.dp3q.event.EventStreamReader;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.TaskIdentity;

/**
 * What a run that trains the class archive (see {@code bin/class-archive.sh}) does once its command has succeeded:
 * it loads the classes the other commands need and the training command did not, so that they too are mapped from
 * the archive. A {@code submit} writes events but never reads one; the {@code wait} after it (the barrier) read
 * about a hundred classes from the jar, most of them Jackson's reading of events. Nothing is sent or printed.
 */
final class ArchiveRehearsal {
    private ArchiveRehearsal() {
    }

    /**
     * Never throws: the command has succeeded, and an archive without these classes only starts the other commands
     * slower.
     */
    static void run() {
        try {
            rehearse();
        } catch (RuntimeException e) {
            // the classes it reached are loaded all the same
        }
    }

    private static void rehearse() {
        // every subcommand's options, as a run of that subcommand reads them
        Dp3qCommand.commandLine(null);
        TaskIdentity task = new TaskIdentity("archive-0", "archive", 0, 2);
        WorkerRef worker = new WorkerRef("host", 1L, 0, "default");
        Event submitted = WarmUp.submitted(task);
        Event started = Event.of(EventType.STARTED, task).pool("default").attempt(1).worker(worker).log("log")
                .labels(Map.of("k", "v")).build();
        Event failed = Event.of(EventType.FAILED, task).pool("default").attempt(1).worker(worker).exitCode(1)
                .durationMs(1).cpuMs(1L).maxRssKb(1L).log("log").stderrTail("tail").reason(Reason.EXIT)
                .message("message").time(Instant.now()).build();
        BatchProgress progress = new BatchProgress(task.batch(), 2);
        Consumer<StreamReader.Record> reading = EventStreamReader.decoding(record -> true, progress::apply,
                marker -> { });
        List<EventRecord> records = List.of(EventRecord.of(List.of(submitted, submitted)),
                EventRecord.of(List.of(started)), EventRecord.of(List.of(failed)));
        for (EventRecord record : records) {
            reading.accept(new StreamReader.Record(record.properties(), record.body()));
        }
        progress.counts();
        progress.tasks();
    }
}
