package io.vigil.bench;

import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * The SQL peer's result tables ({@code 'connector' = 'counting'}): like Flink's blackhole
 * connector, a sink that discards its rows, but counting them per table ({@link CountingSink}),
 * so the run shows what each rule's statement produced. Registered through
 * META-INF/services/org.apache.flink.table.factories.Factory.
 */
public final class CountingTableSink implements DynamicTableSinkFactory {
    static final String IDENTIFIER = "counting";
    static final ConfigOption<String> NAME = ConfigOptions.key("name").stringType().noDefaultValue()
            .withDescription("the name the rows are counted under");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(NAME);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        return new Sink(helper.getOptions().get(NAME));
    }

    /** One result table. */
    private static final class Sink implements DynamicTableSink {
        private final String name;

        Sink(String name) {
            this.name = name;
        }

        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requested) {
            return requested; // counts every change, whatever its kind
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            return SinkV2Provider.of(new CountingSink<RowData>(name));
        }

        @Override
        public DynamicTableSink copy() {
            return new Sink(name);
        }

        @Override
        public String asSummaryString() {
            return "counting " + name;
        }
    }
}
