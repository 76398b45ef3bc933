package org.dp3q.worker.process;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers on disk which process groups this worker has running, one small file each, so that after a
 * crash ({@code kill -9}, power loss of the JVM only) the next worker with the same tag on this host can find
 * and kill what the parent-death signal did not reach: the tool's own children.
 * <p>
 * Each subprocess gets a marker in its environment ({@value #MARKER_VARIABLE}); its children inherit it. A
 * leftover is killed only when a member of the recorded group still carries the marker or the leader still
 * has its recorded start time, so a reused pid is never killed.
 */
public final class RunRegistry {
    public static final String MARKER_VARIABLE = "DP3Q_RUN";
    private static final Logger LOG = LoggerFactory.getLogger(RunRegistry.class);
    private static final String SUFFIX = ".run";
    /** The last line of a record: anything after it is left of an older, longer one. */
    private static final String END = "end";

    private final Path dir;
    private final KnownDirectories made = new KnownDirectories();
    private final long workerPid = ProcessHandle.current().pid();
    private final long workerStart = ProcInfo.of(workerPid).map(ProcInfo::startTicks).orElse(-1L);

    public RunRegistry(Path dir) {
        this.dir = dir;
    }

    /** The registry of a worker: {@code <log-dir>/.running/<host>/<tag>}. */
    public static RunRegistry under(Path logDir, String host, String tag) {
        return new RunRegistry(logDir.resolve(".running").resolve(FileNames.safe(host)).resolve(FileNames.safe(tag)));
    }

    public Path dir() {
        return dir;
    }

    /** A fresh id for one run: the value of {@value #MARKER_VARIABLE} in its environment. */
    public static String newRunId() {
        return UUID.randomUUID().toString();
    }

    /**
     * The record of the group {@code pgid} leads, written at {@link Record#write} and removed at
     * {@link Record#forget}: once for a group that runs one tool, again for each run of a resident guardian's.
     */
    public Record record(long pgid) {
        return new Record(dir.resolve(workerPid + "." + pgid + SUFFIX), pgid);
    }

    /**
     * One group's record on disk. It is written over in place, in one write, then cut to length: no file is made and
     * freed per run (on ext4, making a file among many freed a moment before cost the slot more kernel time than
     * anything else it does per task). The file stays open, and the leader's start time is read once, for as long as
     * the group is recorded. A worker killed between the write and the cut leaves an older record's tail after the
     * {@value #END} line, where {@link #read} stops.
     */
    public final class Record {
        private final Path file;
        private final long pgid;
        /** What every run of the group writes first: the worker's and the leader's identity. */
        private String head;
        private FileChannel channel;
        private boolean forgotten;

        private Record(Path file, long pgid) {
            this.file = file;
            this.pgid = pgid;
        }

        /** Records the group's run with the environment entry {@code marker}; nothing once forgotten. */
        public synchronized void write(String marker, String taskId) {
            if (forgotten) {
                return;
            }
            try {
                if (channel == null) {
                    head = "worker_pid=" + workerPid + "\nworker_start=" + workerStart + "\npgid=" + pgid
                            + "\nleader_start=" + ProcInfo.of(pgid).map(ProcInfo::startTicks).orElse(-1L) + "\n";
                    made.writeInto(dir, () -> channel = FileChannel.open(file, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE));
                }
                // written by hand, not with Properties.store: that formats a date comment, on every task's start;
                // the values are numbers, the marker (NAME=uuid: Properties.load splits at the first '=' only) and
                // a task name made safe, so it reads them back unchanged
                ByteBuffer bytes = ByteBuffer.wrap((head + "marker=" + marker + "\ntask=" + FileNames.safe(taskId)
                        + "\n" + END + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes, bytes.position());
                }
                channel.truncate(bytes.limit());
            } catch (IOException e) {
                LOG.warn("cannot record subprocess group {} of task {} in {}: {}; a crash of this worker could leave"
                        + " its children running", pgid, taskId, dir, e.getMessage());
            }
        }

        /** Removes the record: the group is gone. */
        public synchronized void forget() {
            forgotten = true;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("cannot close {}: {}", file, e.getMessage());
                }
            }
            RunRegistry.forget(file);
        }
    }

    private static void forget(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", file, e.getMessage());
        }
    }

    /** Groups recorded by workers that no longer run (this worker's own earlier crash). */
    public java.util.List<Entry> orphaned() {
        java.util.List<Entry> entries = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                Entry entry = read(file);
                if (entry == null) {
                    forget(file);
                } else if (!ProcInfo.isRunning(entry.workerPid(), entry.workerStart())) {
                    entries.add(entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", dir, e.getMessage());
        }
        return entries;
    }

    private static Entry read(Path file) {
        Properties p = new Properties();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf("\n" + END + "\n");
            p.load(new StringReader(end < 0 ? text : text.substring(0, end + 1)));
            return new Entry(file, Long.parseLong(p.getProperty("worker_pid")), Long.parseLong(p.getProperty("worker_start")),
                    Long.parseLong(p.getProperty("pgid")), Long.parseLong(p.getProperty("leader_start")),
                    p.getProperty("marker"), p.getProperty("task"));
        } catch (IOException | RuntimeException e) {
            LOG.debug("ignoring unreadable {}: {}", file, e.toString());
            return null;
        }
    }

    /** One recorded group. */
    public record Entry(Path file, long workerPid, long workerStart, long pgid, long leaderStart, String marker,
                        String taskId) {
        public void forget() {
            RunRegistry.forget(file);
        }
    }
}
