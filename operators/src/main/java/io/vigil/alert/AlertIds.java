package io.vigil.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Alert identity: a hash of rule id and entity, the same in every run, restart and replay. */
public final class AlertIds {
    private AlertIds() {}

    public static String of(String ruleId, String entity) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ruleId.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0); // no (rule, entity) pair can collide with another's concatenation
            byte[] h = md.digest(entity.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(32);
            for (int i = 0; i < 16; i++) {
                sb.append(Character.forDigit((h[i] >> 4) & 0xF, 16)).append(Character.forDigit(h[i] & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
