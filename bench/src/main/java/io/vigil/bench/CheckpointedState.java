package io.vigil.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * The state of a completed checkpoint per operator, read from its {@code _metadata}, with the
 * operators named from the job's stream graph (operator ids are hashes of the uids), so a
 * growing state can be traced to the operator that holds it.
 */
final class CheckpointedState {
    private final Map<OperatorID, String> names = new HashMap<>();

    CheckpointedState(StreamGraph graph) {
        for (Map.Entry<Integer, byte[]> e : new StreamGraphHasherV2().traverseStreamGraphAndGenerateHashes(graph).entrySet()) {
            names.put(new OperatorID(e.getValue()), graph.getStreamNode(e.getKey()).getOperatorName());
        }
    }

    /** One operator's share of a checkpoint. */
    static final class Share {
        final String operator;
        final long bytes;

        Share(String operator, long bytes) {
            this.operator = operator;
            this.bytes = bytes;
        }
    }

    /**
     * The operators of the checkpoint at {@code pointer} ({@code lastCheckpointExternalPath}) with
     * state, largest first.
     */
    List<Share> read(String pointer) throws IOException {
        Path dir = Paths.get(new org.apache.flink.core.fs.Path(pointer).toUri());
        CheckpointMetadata metadata;
        try (InputStream in = Files.newInputStream(dir.resolve("_metadata"))) {
            metadata = Checkpoints.loadCheckpointMetadata(new DataInputStream(in), getClass().getClassLoader(), pointer);
        }
        List<Share> shares = new ArrayList<>();
        for (OperatorState s : metadata.getOperatorStates()) {
            long size = s.getStateSize();
            if (size > 0) {
                shares.add(new Share(names.getOrDefault(s.getOperatorID(), s.getOperatorID().toString()), size));
            }
        }
        shares.sort((a, b) -> Long.compare(b.bytes, a.bytes));
        return shares;
    }
}
