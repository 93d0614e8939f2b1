package io.vigil.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RequestLinesTest {
    private static List<String> lines(String body) {
        return RequestLines.of(body.getBytes(StandardCharsets.UTF_8)).stream()
                .map(b -> new String(b, StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    @Test
    void anObjectIsCompactedWithStringsKeptAsSent() {
        assertThat(lines("{\n  \"a\" : \"x  y\\\" \\n z\",\r\n  \"n\": 1.50e3 ,\"b\":[ 1, {\"c\" :null} ]\n}\n"))
                .containsExactly("{\"a\":\"x  y\\\" \\n z\",\"n\":1.50e3,\"b\":[1,{\"c\":null}]}");
    }

    @Test
    void anArrayGivesOneLinePerElement() {
        assertThat(lines("[ {\"a\": 1},\n {\"b\": \"]\"}, \"s\", 2 ]")).containsExactly("{\"a\":1}", "{\"b\":\"]\"}", "\"s\"", "2");
        assertThat(lines("[]")).isEmpty();
    }

    @Test
    void whatIsNotOneJsonValueStaysOneLineForTheDeadLetters() {
        assertThat(lines("{\"a\":1}\n{\"b\":2}")).containsExactly("{\"a\":1} {\"b\":2}");
        assertThat(lines("{\"a\":\n")).containsExactly("{\"a\": ");
        assertThat(lines("plain\r\ntext")).containsExactly("plain  text");
    }

    @Test
    void aGithubDeliveryKeepsEventAndDeliveryWithThePayload() {
        String line = new String(RequestLines.github("workflow_job", "d-1",
                "{ \"action\": \"queued\" }".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertThat(line).isEqualTo("{\"event\":\"workflow_job\",\"delivery\":\"d-1\",\"payload\":{\"action\":\"queued\"}}");
        String form = new String(RequestLines.github("push", null, "payload=%7B%7D".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        assertThat(form).isEqualTo("{\"event\":\"push\",\"delivery\":null,\"payload\":\"payload=%7B%7D\"}");
    }
}
