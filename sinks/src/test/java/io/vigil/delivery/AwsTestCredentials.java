package io.vigil.delivery;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Dummy AWS credentials for the SDK's default chain (its system properties) while a test class
 * runs, restored afterwards: the stand-ins do not check signatures, but the SDK must sign.
 */
public class AwsTestCredentials implements BeforeAllCallback, AfterAllCallback {
    private static final String[][] PROPERTIES = {{"aws.accessKeyId", "AKIDVIGILTEST"},
            {"aws.secretAccessKey", "vigil-test-secret"}};
    private final Map<String, String> saved = new LinkedHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        for (String[] p : PROPERTIES) {
            saved.put(p[0], System.getProperty(p[0]));
            System.setProperty(p[0], p[1]);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (Map.Entry<String, String> p : saved.entrySet()) {
            if (p.getValue() == null) {
                System.clearProperty(p.getKey());
            } else {
                System.setProperty(p.getKey(), p.getValue());
            }
        }
    }
}
