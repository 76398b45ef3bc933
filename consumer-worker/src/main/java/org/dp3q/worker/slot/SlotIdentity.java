package org.dp3q.worker.slot;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.dp3q.event.WorkerRef;

/** Who runs a task: host, worker pid, slot number and the worker's tag, as events report it. */
public record SlotIdentity(String host, long pid, int slot, String tag) {
    public static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }

    public WorkerRef ref() {
        return new WorkerRef(host, pid, slot, tag);
    }
}
