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
        return new RunRegistry(logDir.resolve(".running").resolve(safe(host)).resolve(safe(tag)));
    }

    public Path dir() {
        return dir;
    }

    /** A fresh id for one run: the value of {@value #MARKER_VARIABLE} in its environment. */
    public static String newRunId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Records a started group, or the next run of a group recorded before (a resident guardian's): the record is
     * written over in place. Returns what forgets it again once the group is gone.
     */
    public Runnable remember(long pgid, String marker, String taskId) {
        Path file = dir.resolve(workerPid + "." + pgid + SUFFIX);
        // written by hand, not with Properties.store: that formats a date comment, on every task's start;
        // the values are numbers, the marker (NAME=uuid: Properties.load splits at the first '=' only) and a
        // task name made safe, so it reads them back unchanged
        String entry = "worker_pid=" + workerPid + "\nworker_start=" + workerStart + "\npgid=" + pgid
                + "\nleader_start=" + ProcInfo.of(pgid).map(ProcInfo::startTicks).orElse(-1L)
                + "\nmarker=" + marker + "\ntask=" + safe(taskId) + "\n" + END + "\n";
        try {
            made.writeInto(dir, () -> overwrite(file, entry));
        } catch (IOException e) {
            LOG.warn("cannot record subprocess group {} of task {} in {}: {}; a crash of this worker could leave its"
                    + " children running", pgid, taskId, dir, e.getMessage());
        }
        return () -> forget(file);
    }

    /**
     * Writes {@code entry} over what {@code file} held, in place, in one write, then cuts what is left of a longer
     * record: no file is made and freed per run (on ext4, making a file among many freed a moment before cost the
     * slot more kernel time than anything else it does per task, and writing a copy then renaming it over the
     * record freed one per run). A worker killed between the write and the cut leaves the old record's tail after
     * the {@value #END} line, where {@link #read} stops.
     */
    private static void overwrite(Path file, String entry) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(entry.getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes, bytes.position());
            }
            channel.truncate(bytes.limit());
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

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
