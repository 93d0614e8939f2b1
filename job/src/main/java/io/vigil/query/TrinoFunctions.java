package io.vigil.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.UserDefinedFunction;

/**
 * The Trino (Athena engine v3) functions of the query pack that Flink SQL lacks, under Trino's
 * names with Trino's semantics, so {@code ddl/queries} runs unchanged in both. Each class says
 * what it computes. Not needed: {@code localtimestamp} is Flink's {@code LOCALTIMESTAMP} (the
 * query's start in the session zone, UTC here, as in Athena), and the rest of the pack is the
 * common subset of both dialects.
 */
public final class TrinoFunctions {
    private static final Map<String, UserDefinedFunction> FUNCTIONS;

    static {
        Map<String, UserDefinedFunction> f = new LinkedHashMap<>();
        f.put("count_if", new CountIf());
        f.put("approx_percentile", new ApproxPercentile());
        f.put("max_by", new MaxBy());
        f.put("date_diff", new DateDiff());
        f.put("date_trunc", new DateTrunc());
        FUNCTIONS = Collections.unmodifiableMap(f);
    }

    private TrinoFunctions() {}

    /** The functions by their Trino name. */
    public static Map<String, UserDefinedFunction> all() {
        return FUNCTIONS;
    }

    /** Registers every function as a temporary system function of {@code env}. */
    public static void register(TableEnvironment env) {
        for (Map.Entry<String, UserDefinedFunction> f : FUNCTIONS.entrySet()) {
            env.createTemporarySystemFunction(f.getKey(), f.getValue());
        }
    }
}
