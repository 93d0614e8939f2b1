package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.ReasonCode;
import io.vigil.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values the hostile-input fault test found accepted, or turned into dead letters no UTF-8 output
 * could write: other scripts' digits, Java-only number notations, non-finite label numbers,
 * escaped half surrogate pairs, and details quoting half a character.
 */
class HostileValuesTest {
    private static final String LANL = "1793613600,U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Success";
    private static final String REES = "2026-11-02 10:00:00 UTC,purchase,1004856,2053013555631882655,electronics.smartphone,"
            + "samsung,130.76,543272936,s1";
    private static final String COMMERCE = "{\"event_time\":\"2026-11-02 10:00:00 UTC\",\"event_type\":\"purchase\","
            + "\"product_id\":1004856,\"category_id\":2053013555631882655,\"brand\":\"samsung\",\"price\":130.76,"
            + "\"user_id\":543272936,\"user_session\":\"s1\"}";
    private static final String AUTH = "{\"time\":1793613600,\"source_user\":\"U1@DOM1\",\"destination_user\":\"U1@DOM1\","
            + "\"source_computer\":\"C1\",\"destination_computer\":\"C2\",\"auth_type\":\"NTLM\",\"logon_type\":\"Network\","
            + "\"auth_orientation\":\"LogOn\",\"success\":\"Success\"}";
    private static final String METRIC = "{\"name\":\"par_90_pct\",\"value\":4.2,\"time\":\"2026-11-02T10:00:00Z\","
            + "\"labels\":{\"portfolio\":\"abaco\"}}";
    private static final String FULLWIDTH_T = "\uFF11\uFF17\uFF19\uFF13\uFF16\uFF11\uFF13\uFF16\uFF10\uFF10";

    private final RecordDecoder decoder = new RecordDecoder(() -> Instant.parse("2026-11-21T00:00:00Z").toEpochMilli());

    private Envelope decode(InputFormat f, String line) {
        return decoder.decode(Samples.raw(f, line));
    }

    private void refused(InputFormat f, String line, ReasonCode reason) {
        Envelope e = decode(f, line);
        assertThat(e.isValid()).as(line).isFalse();
        assertThat(e.deadLetter.reason).as(e.deadLetter.detail).isEqualTo(reason);
    }

    @Test
    void theUnchangedRecordsAreValid() {
        assertThat(decode(InputFormat.LANL_AUTH, LANL).isValid()).isTrue();
        assertThat(decode(InputFormat.REES46, REES).isValid()).isTrue();
        assertThat(decode(InputFormat.COMMERCE_JSON, COMMERCE).isValid()).isTrue();
        assertThat(decode(InputFormat.AUTH_JSON, AUTH).isValid()).isTrue();
        assertThat(decode(InputFormat.METRICS, METRIC).isValid()).isTrue();
        // digit strings and numeric strings stay accepted where they were
        assertThat(decode(InputFormat.COMMERCE_JSON, COMMERCE.replace("1004856", "\"1004856\"")
                .replace("130.76", "\"130.76\"")).isValid()).isTrue();
        assertThat(decode(InputFormat.AUTH_JSON, AUTH.replace("1793613600", "\"+1793613600\"")).isValid()).isTrue();
        assertThat(decode(InputFormat.REES46, REES.replace(",130.76,", ",.5,")).isValid()).isTrue();
        assertThat(decode(InputFormat.REES46, REES.replace(",130.76,", ",1.3076E2,")).isValid()).isTrue();
    }

    @Test
    void digitsOfOtherScriptsAreNoNumbers() {
        refused(InputFormat.LANL_AUTH, LANL.replace("1793613600", FULLWIDTH_T), ReasonCode.BAD_TIMESTAMP);
        refused(InputFormat.AUTH_JSON, AUTH.replace("1793613600", "\"" + FULLWIDTH_T + "\""), ReasonCode.BAD_TIMESTAMP);
        refused(InputFormat.REES46, REES.replace(",1004856,", ",\uFF11\uFF10\uFF10,"), ReasonCode.BAD_TYPE);
        refused(InputFormat.REES46, REES.replace(",543272936,", ",\u0665\u0664\u0663,"), ReasonCode.BAD_TYPE);
        refused(InputFormat.COMMERCE_JSON, COMMERCE.replace("543272936", "\"\u0665\u0664\u0663\""), ReasonCode.BAD_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x1p7", "130.76d", "130.76f", "130.76D", " 130.76", "130.76\t", "1e", ".", "+", "1.2.3", "٣"})
    void pricesAreDecimalNotJavaNotation(String price) {
        refused(InputFormat.REES46, REES.replace(",130.76,", "," + price + ","), ReasonCode.BAD_TYPE);
        refused(InputFormat.COMMERCE_JSON, COMMERCE.replace("130.76", "\"" + price.replace("\t", "\\t") + "\""),
                ReasonCode.BAD_TYPE);
    }

    @Test
    void aControlCharacterBeforeANumberIsNoWhitespace() {
        refused(InputFormat.COMMERCE_JSON, COMMERCE.replace("130.76", "\"\\u0000130.76\""), ReasonCode.BAD_TYPE);
        refused(InputFormat.METRICS, METRIC.replace("4.2", "\"\\u00014.2\""), ReasonCode.BAD_TYPE);
    }

    @Test
    void spelledOutNonFiniteNumbersKeepTheirReason() {
        Envelope e = decode(InputFormat.REES46, REES.replace(",130.76,", ",-Infinity,"));
        assertThat(e.deadLetter.reason).isEqualTo(ReasonCode.BAD_TYPE);
        assertThat(e.deadLetter.detail).contains("finite");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999", "-1e999"})
    void aLabelNumberMustBeFinite(String n) {
        refused(InputFormat.METRICS, METRIC.replace("\"abaco\"", n), ReasonCode.BAD_TYPE);
        assertThat(decode(InputFormat.METRICS, METRIC.replace("\"abaco\"", "1e3")).metric.labels[0].value).isEqualTo("1000.0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "METRICS|\"par_90_pct\"|\"par\\ud800\"",
        "AUTH_JSON|\"U1@DOM1\",\"destination_user\"|\"U1\\udc00@DOM1\",\"destination_user\"",
        "COMMERCE_JSON|\"samsung\"|\"sams\\ud83d\"",
        "COMMERCE_JSON|\"s1\"|\"\\ude00\\ud83d\""})
    void anEscapedHalfSurrogatePairIsNoText(InputFormat f, String from, String to) {
        String line = (f == InputFormat.METRICS ? METRIC : f == InputFormat.AUTH_JSON ? AUTH : COMMERCE).replace(from, to);
        assertThat(line).contains("\\u");
        refused(f, line, ReasonCode.BAD_ENCODING);
        assertThat(utf8(decode(f, line).deadLetter.detail)).isTrue();
    }

    @Test
    void aKeyEscapingHalfASurrogatePairIsRefused() {
        Envelope e = decode(InputFormat.METRICS, METRIC.replace("{\"portfolio\":", "{\"portfolio\\udfff\":"));
        assertThat(e.isValid()).isFalse();
        assertThat(utf8(e.deadLetter.detail)).as(e.deadLetter.detail).isTrue();
    }

    @Test
    void anEscapedWholeSurrogatePairIsText() {
        Envelope e = decode(InputFormat.COMMERCE_JSON, COMMERCE.replace("\"samsung\"", "\"sam\\ud83d\\ude00\""));
        assertThat(e.isValid()).isTrue();
        assertThat(e.commerce.brand).isEqualTo("sam\uD83D\uDE00");
    }

    @Test
    void detailsNeverHoldHalfACharacter() {
        // a quoted value cut at the 80th character, which is half an emoji
        String cut = "a".repeat(79) + "\uD83D\uDE00 more";
        Envelope lanl = decode(InputFormat.LANL_AUTH, LANL.replace("1793613600", cut));
        assertThat(lanl.deadLetter.reason).isEqualTo(ReasonCode.BAD_TIMESTAMP);
        assertThat(utf8(lanl.deadLetter.detail)).as(lanl.deadLetter.detail).isTrue();
        assertThat(lanl.deadLetter.detail).contains("a".repeat(79) + "...");
        // the JSON parser's message names the first half of an emoji
        for (InputFormat f : new InputFormat[] {InputFormat.METRICS, InputFormat.OPENLINEAGE, InputFormat.AUTH_JSON,
                InputFormat.COMMERCE_JSON}) {
            Envelope e = decode(f, "\uD83D\uDE00{}");
            assertThat(e.deadLetter.reason).isEqualTo(ReasonCode.MALFORMED_JSON);
            assertThat(utf8(e.deadLetter.detail)).as(e.deadLetter.detail).isTrue();
        }
    }

    @Test
    void snippetsCutBeforeAPairAndMendHalves() {
        assertThat(Snippets.clip("a".repeat(78) + "\uD83D\uDE00")).isEqualTo("a".repeat(78) + "\uD83D\uDE00");
        assertThat(Snippets.clip("a".repeat(78) + "\uD83D\uDE00b")).isEqualTo("a".repeat(78) + "\uD83D\uDE00...");
        assertThat(Snippets.clip("a".repeat(79) + "\uD83D\uDE00")).isEqualTo("a".repeat(79) + "...");
        assertThat(Snippets.wellFormed("x\uD83Dy\uDE00z\uD83D\uDE00")).isEqualTo("x\uFFFDy\uFFFDz\uD83D\uDE00");
        assertThat(Snippets.wellFormed("plain")).isSameAs("plain");
    }

    @ParameterizedTest
    @CsvSource({"0,true", "-12,true", "+7,true", "1.5,true", ".5,true", "5.,true", "1e3,true", "1E-3,true", "-1.5e+10,true",
        "'',false", "-,false", "e3,false", "1e,false", "1e+,false", "0x10,false", "1d,false", "1_000,false", "' 1',false",
        "NaN,false", "1.5.1,false"})
    void decimalSyntax(String s, boolean decimal) {
        assertThat(Numbers.isDecimal(s)).as(s).isEqualTo(decimal);
    }

    private static boolean utf8(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }
}
