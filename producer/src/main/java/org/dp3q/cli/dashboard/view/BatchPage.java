package org.dp3q.cli.dashboard.view;

import java.util.List;
import org.dp3q.cli.dashboard.data.BatchSnapshot;

/** One batch's view: its line, its chunk grid and its task stream per slot. */
public record BatchPage(BatchRow batch, List<ChunkCell> chunks, List<SlotLane> lanes) {

    public static BatchPage of(BatchSnapshot snapshot) {
        return new BatchPage(BatchRow.of(snapshot), ChunkCell.of(snapshot), SlotLane.of(snapshot));
    }
}
