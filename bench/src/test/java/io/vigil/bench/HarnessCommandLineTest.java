package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The harness commands keep their option names and count forms on picocli; nothing here starts a job. */
class HarnessCommandLineTest {
    @Test
    void countsAreReadInEveryDocumentedForm() {
        Options.Count count = new Options.Count();
        assertThat(count.convert("2000000")).isEqualTo(2_000_000L);
        assertThat(count.convert("2,000,000")).isEqualTo(2_000_000L);
        assertThat(count.convert("2_000_000")).isEqualTo(2_000_000L);
        assertThat(count.convert("2M")).isEqualTo(2_000_000L);
        assertThat(count.convert("500k")).isEqualTo(500_000L);
        assertThat(count.convert("1.5m")).isEqualTo(1_500_000L);
        assertThatThrownBy(() -> count.convert("-3")).hasMessageContaining("'-3' is not a count");
        assertThat(new Options.Millis().convert("5m")).isEqualTo(300_000L);
    }

    @Test
    void jobThroughputTakesItsOptionsSpacedOrWithEquals() {
        JobThroughput.Cli cli = new JobThroughput.Cli();
        new CommandLine(cli).parseArgs("--events", "4M", "--warmup=500k", "--runs", "ceiling,vigil", "--pass", "10m",
                "--out", "/tmp/x", "--keep", "--repeat", "3");
        assertThat(cli.events).isEqualTo(4_000_000L);
        assertThat(cli.warmup).isEqualTo(500_000L);
        assertThat(cli.runs).containsExactly("ceiling", "vigil");
        assertThat(cli.passMs).isEqualTo(600_000L);
        assertThat(cli.output.out).isEqualTo(Path.of("/tmp/x"));
        assertThat(cli.output.keep).isTrue();
        assertThat(cli.repeat).isEqualTo(3);
        JobThroughput.Cli defaults = new JobThroughput.Cli();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.events).isEqualTo(2_000_000L);
        assertThat(defaults.warmup).isNull(); // then as many as --events
        assertThat(defaults.runs).isEqualTo(JobThroughput.JOBS);
        assertThat(defaults.repeat).isEqualTo(1);
    }

    @Test
    void roundsAreSummedUpByTheirMedian() {
        assertThat(JobThroughput.median(List.of(80.0))).isEqualTo(80.0);
        assertThat(JobThroughput.median(List.of(90.0, 60.0, 80.0))).isEqualTo(80.0);
        assertThat(JobThroughput.median(List.of(90.0, 60.0, 80.0, 70.0))).isEqualTo(75.0);
        // the machine ran twice as fast in round 2 and sped up during round 3: two rounds' ratios are
        // 2, one is 0.75; the medians' ratio (150 / 100) would say 1.5
        Map<String, List<Double>> rounds = Map.of("vigil", List.of(100.0, 200.0, 150.0), "sql", List.of(50.0, 100.0, 200.0));
        assertThat(JobThroughput.ratio(rounds, "vigil", "sql")).isEqualTo(2.0);
    }

    @Test
    void scaleRunReadsAListOfCounts() {
        ScaleRun.Cli cli = new ScaleRun.Cli();
        new CommandLine(cli).parseArgs("--at", "200k,1M");
        assertThat(cli.counts).containsExactly(200_000L, 1_000_000L);
    }

    @Test
    void aBadCommandLineExitsTwoBeforeAnyRun() {
        assertThat(LocalRun.run(new String[] {"--events", "lots"}, new JobThroughput.Cli())).isEqualTo(2);
        assertThat(LocalRun.run(new String[] {"--evnets", "1M"}, new JobThroughput.Cli())).isEqualTo(2);
        assertThat(LocalRun.run(new String[] {"--runs", "ceiling,nope"}, new JobThroughput.Cli())).isEqualTo(2);
        assertThat(LocalRun.run(new String[] {"--repeat", "0"}, new JobThroughput.Cli())).isEqualTo(2);
        assertThat(LocalRun.run(new String[] {"--duration", "5s"}, new AlertLatency.Cli())).isEqualTo(2); // --rate required
        assertThat(LocalRun.run(new String[] {"--at", "1M,500k"}, new ScaleRun.Cli())).isEqualTo(2);
        assertThat(LocalRun.run(new String[] {"--shapes", "round"}, new TableWriteRate.Cli())).isEqualTo(2);
        assertThat(LocalRun.run(new String[] {"--help"}, new TableWriteRate.Cli())).isZero();
    }
}
