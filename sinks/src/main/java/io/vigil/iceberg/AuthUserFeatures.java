package io.vigil.iceberg;

import io.vigil.model.AuthEvent;
import io.vigil.model.Envelope;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * The auth_user_features rows: per source user ({@code user@domain}) and 5-minute event-time
 * window, counted incrementally and emitted when the watermark passes the window's end; the
 * window's state goes with it. Events of a window that has already closed (late beyond the
 * watermark) are in auth_events only. Events whose source user is unknown ({@code ?}) have no key
 * and are not counted.
 */
public final class AuthUserFeatures {
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private static final Count COUNT = new Count();

    private AuthUserFeatures() {}

    /** Rows from valid auth envelopes of a stream with event-time timestamps and watermarks. */
    public static SingleOutputStreamOperator<RowData> of(DataStream<Envelope> envelopes) {
        DataStream<Envelope> counted = envelopes
                .filter(AuthUserFeatures::counted)
                .name("auth events with a user")
                .uid("iceberg-auth-user-features-input")
                .setParallelism(envelopes.getParallelism()); // chained to its input
        return LocalWindowAggregate.of(counted, e -> e.auth.sourcePrincipal(), WINDOW, COUNT, AuthUserWindow.typeInfo(),
                        "iceberg-auth-user-features-partials", "auth user features partials")
                .aggregate(new LocalWindowAggregate.Merge<>(COUNT), new Emit(), AuthUserWindow.typeInfo(),
                        AuthUserWindow.typeInfo(), VigilTables.AUTH_USER_FEATURES.typeInfo())
                .name("auth user features")
                .uid("iceberg-auth-user-features");
    }

    /** Valid auth events with a known source user are counted; others have no key. */
    static boolean counted(Envelope e) {
        return e.auth != null && e.auth.sourceUser != null;
    }

    /** Adds one auth event to its user's window. */
    static final class Count implements AggregateFunction<Envelope, AuthUserWindow, AuthUserWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public AuthUserWindow createAccumulator() {
            return new AuthUserWindow();
        }

        @Override
        public AuthUserWindow add(Envelope e, AuthUserWindow w) {
            AuthEvent a = e.auth;
            w.user = a.sourceUser;
            w.domain = a.sourceDomain;
            w.events++;
            if ("LogOn".equals(a.orientation)) {
                w.logons++;
            }
            if (!a.success) {
                w.failures++;
            }
            if (a.destinationComputer != null) {
                w.destinationComputers.put(a.destinationComputer, Boolean.TRUE);
            }
            if (a.sourceComputer != null) {
                w.sourceComputers.put(a.sourceComputer, Boolean.TRUE);
            }
            return w;
        }

        @Override
        public AuthUserWindow getResult(AuthUserWindow w) {
            return w;
        }

        @Override
        public AuthUserWindow merge(AuthUserWindow a, AuthUserWindow b) {
            AuthUserWindow m = new AuthUserWindow();
            m.user = a.user != null ? a.user : b.user;
            m.domain = a.domain != null ? a.domain : b.domain;
            m.events = a.events + b.events;
            m.logons = a.logons + b.logons;
            m.failures = a.failures + b.failures;
            union(m.destinationComputers, a.destinationComputers, b.destinationComputers);
            union(m.sourceComputers, a.sourceComputers, b.sourceComputers);
            return m;
        }

        private static void union(Map<String, Boolean> into, Map<String, Boolean> a, Map<String, Boolean> b) {
            into.putAll(a);
            into.putAll(b);
        }
    }

    /** Turns a closed window into its row. */
    static final class Emit extends ProcessWindowFunction<AuthUserWindow, RowData, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String user, Context ctx, Iterable<AuthUserWindow> windows, Collector<RowData> out) {
            AuthUserWindow w = windows.iterator().next();
            out.collect(TableRows.authUserFeatures(w.user, w.domain, ctx.window().getStart(), ctx.window().getEnd(), w));
        }
    }
}
