package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The parse path of a github-actions input with github.secret set: records that came through API
 * Gateway and Kinesis as {headers, body} are parsed only when X-Hub-Signature-256 signs the body.
 */
class GitHubSignedRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** GitHub's published example (docs: "Validating webhook deliveries"). */
    private static final String EXAMPLE_SECRET = "It's a Secret to Everybody";
    private static final String EXAMPLE_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    private static String firstWorkflowRun() throws Exception {
        return Files.readAllLines(Paths.get("src/test/resources/github-actions/real/workflow_run.jsonl")).get(0);
    }

    private static String request(String event, String body, String signature) {
        ObjectNode r = JSON.createObjectNode();
        r.putObject("headers").put("X-GitHub-Event", event).put("x-hub-signature-256", signature);
        r.put("body", body).put("isBase64Encoded", false);
        return r.toString();
    }

    private static Envelope decode(RecordDecoder d, String record) {
        return d.decode(RawRecord.received("github", InputFormat.GITHUB_ACTIONS,
                record.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), "shardId-000000000000:1"));
    }

    @Test
    void githubsPublishedExampleSignaturePassesAndATamperedBodyIsABadSignature() {
        RecordDecoder d = new RecordDecoder();
        d.verifyGitHubWith(new WebhookSignature(EXAMPLE_SECRET));
        // signed: it passes the check, then "Hello, World!" is no webhook payload
        Envelope signed = decode(d, request("workflow_run", "Hello, World!", EXAMPLE_SIGNATURE));
        assertThat(signed.deadLetter.reason).isEqualTo(ReasonCode.MALFORMED_JSON);
        Envelope tampered = decode(d, request("workflow_run", "Hello, World?", EXAMPLE_SIGNATURE));
        assertThat(tampered.deadLetter.reason).isEqualTo(ReasonCode.BAD_SIGNATURE);
        assertThat(tampered.deadLetter.payload).contains("Hello, World?");
    }

    @Test
    void aSignedRealWorkflowRunParsesAndTheSameTamperedOrUnsignedDoesNot() throws Exception {
        String secret = "vigil-test-webhook-secret";
        WebhookSignature sig = new WebhookSignature(secret);
        String body = firstWorkflowRun();
        String signature = sig.sign(body.getBytes(StandardCharsets.UTF_8));
        RecordDecoder d = new RecordDecoder();
        d.verifyGitHubWith(sig);

        Envelope valid = decode(d, request("workflow_run", body, signature));
        assertThat(valid.isValid()).as("%s", valid.deadLetter == null ? "" : valid.deadLetter.detail).isTrue();
        assertThat(valid.run.jobNamespace).startsWith("github:");

        ObjectNode b64 = (ObjectNode) JSON.readTree(request("workflow_run", body, signature));
        b64.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8))).put("isBase64Encoded", true);
        Envelope fromBase64 = decode(d, b64.toString());
        assertThat(fromBase64.isValid()).isTrue();
        assertThat(fromBase64.run.runId).isEqualTo(valid.run.runId);

        String tamperedBody = body.replaceFirst("\"conclusion\":\"[a-z_]+\"", "\"conclusion\":\"success\"")
                .replaceFirst("\"status\":\"[a-z_]+\"", "\"status\":\"completed\"");
        String changed = tamperedBody.equals(body) ? body.replaceFirst("\"action\":\"", "\"action\":\"x") : tamperedBody;
        assertThat(changed).isNotEqualTo(body);
        assertThat(decode(d, request("workflow_run", changed, signature)).deadLetter.reason).isEqualTo(ReasonCode.BAD_SIGNATURE);
        assertThat(decode(d, request("workflow_run", body, new WebhookSignature("another secret")
                .sign(body.getBytes(StandardCharsets.UTF_8)))).deadLetter.reason).isEqualTo(ReasonCode.BAD_SIGNATURE);

        Envelope bare = decode(d, body);
        assertThat(bare.deadLetter.reason).as("a bare payload carries no signature").isEqualTo(ReasonCode.BAD_SIGNATURE);
        assertThat(bare.deadLetter.detail).startsWith("unsigned");
        assertThat(decode(new RecordDecoder(), body).isValid()).as("without a secret nothing is checked").isTrue();
    }
}
