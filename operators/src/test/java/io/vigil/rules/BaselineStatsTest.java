package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class BaselineStatsTest {
    private static final BaselineSpec.Compare RATIO = BaselineSpec.Compare.RATIO;
    private static final BaselineSpec.Compare Z = BaselineSpec.Compare.ZSCORE;
    private static final BaselineSpec.Compare DIFF = BaselineSpec.Compare.DIFFERENCE;

    private static BaselineStats of(double... v) {
        return BaselineStats.of(v, v.length);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(of(5, 1, 3).median).isEqualTo(3);
        assertThat(of(4, 1, 3, 10).median).isEqualTo(3.5);
        assertThat(BaselineStats.of(new double[] {7, 1, 99}, 2).median).as("only the first n count").isEqualTo(4);
        assertThat(BaselineStats.of(new double[4], 0)).isNull();
    }

    @Test
    void robustScaleIgnoresAnOutlier() {
        // deviations from the median 10: 1 1 0 0 990 -> MAD 1
        BaselineStats s = of(9, 11, 10, 10, 1000);
        assertThat(s.median).isEqualTo(10);
        assertThat(s.scale).isCloseTo(1.4826, within(1e-9));
        assertThat(s.compare(Z, 14)).isCloseTo(4 / 1.4826, within(1e-9));
        assertThat(s.compare(Z, 7)).isCloseTo(-3 / 1.4826, within(1e-9));
    }

    @Test
    void zeroMadFallsBackToMeanAbsoluteDeviation() {
        // more than half the values equal: MAD 0; mean absolute deviation (0+0+0+4)/4 = 1
        BaselineStats s = of(2, 2, 2, 6);
        assertThat(s.scale).isCloseTo(1.2533, within(1e-9));
        assertThat(s.compare(Z, 4)).isCloseTo(2 / 1.2533, within(1e-9));
    }

    @Test
    void constantHistoryGivesACappedZScore() {
        BaselineStats s = of(5, 5, 5);
        assertThat(s.scale).isZero();
        assertThat(s.compare(Z, 5)).isZero();
        assertThat(s.compare(Z, 6)).isEqualTo(BaselineStats.CAP);
        assertThat(s.compare(Z, 4)).isEqualTo(-BaselineStats.CAP);
    }

    @Test
    void ratioAndDifference() {
        BaselineStats s = of(1480, 1400, 1600);
        assertThat(s.compare(RATIO, 3120)).isCloseTo(3120 / 1480.0, within(1e-12));
        assertThat(s.compare(DIFF, 1000)).isEqualTo(-480);
        BaselineStats quiet = of(0, 0, 0);
        assertThat(quiet.compare(RATIO, 0)).as("nothing, as always").isEqualTo(1);
        assertThat(quiet.compare(RATIO, 12)).isEqualTo(BaselineStats.CAP);
    }

    @Test
    void alertTextShowsTheUnit() {
        BaselineSpec run = new BaselineSpec();
        run.value = BaselineSpec.Value.RUN_DURATION;
        assertThat(BaselineJudge.show(run, 3_120_000)).isEqualTo("3,120 s");
        assertThat(BaselineJudge.measure(run, 2.108)).isEqualTo("2.11x");
        run.compare = BaselineSpec.Compare.DIFFERENCE;
        assertThat(BaselineJudge.measure(run, -45_000)).isEqualTo("-45 s");
        BaselineSpec rows = new BaselineSpec();
        rows.value = BaselineSpec.Value.ROWS_WRITTEN;
        assertThat(BaselineJudge.show(rows, 1_480_000)).isEqualTo("1,480,000");
        rows.compare = BaselineSpec.Compare.ZSCORE;
        assertThat(BaselineJudge.measure(rows, -4.25)).isEqualTo("4.3z");
    }

    @Test
    void stateTypesAreFlinkPojos() {
        assertThat(TypeInformation.of(BaselineTrack.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(BaselineSpec.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
