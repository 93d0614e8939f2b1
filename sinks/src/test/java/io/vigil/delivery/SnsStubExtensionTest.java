package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SNS stand-in's scripted answers hold when topics publish at once (two delivery lanes). */
class SnsStubExtensionTest {
    @RegisterExtension
    static final SnsStubExtension SNS = new SnsStubExtension();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void concurrentPublishesTakeOneScriptedAnswerEach() throws Exception {
        for (int round = 0; round < 30; round++) {
            SNS.answerInTurn(SnsStubExtension.error(400, "Sender", "Throttling", "Rate exceeded"),
                    SnsStubExtension.error(400, "Sender", "Throttling", "Rate exceeded"),
                    SnsStubExtension.published("m-ok"));
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sent.add(http.sendAsync(publish(), HttpResponse.BodyHandlers.ofString()));
            }
            int throttled = 0;
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                throttled += f.get().statusCode() == 400 ? 1 : 0;
            }
            assertThat(throttled).as("round " + round).isEqualTo(2);
        }
    }

    private HttpRequest publish() {
        return HttpRequest.newBuilder(URI.create(SNS.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A1%3At&Message=m"))
                .build();
    }
}
