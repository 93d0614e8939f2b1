package io.vigil.parse;

import io.vigil.model.CommerceEvent;
import io.vigil.model.Envelope;

/**
 * REES46 e-commerce CSV: {@code event_time,event_type,product_id,category_id,category_code,brand,
 * price,user_id,user_session}. The header row is recognised and skipped: it is not a record.
 */
public class Rees46Parser implements RecordParser {
    public static final String HEADER =
            "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";
    static final int COLUMNS = 9;

    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        if (text.equals(HEADER)) {
            return null;
        }
        String[] c = CsvLine.split(text, COLUMNS, true);
        CommerceEvent e = new CommerceEvent();
        if (c[0].isEmpty()) {
            throw new InvalidRecordException(io.vigil.model.ReasonCode.MISSING_FIELD, "event_time is required");
        }
        e.eventTime = EventTimes.parseRees46("event_time", c[0]);
        try {
            e.eventType = CommerceFields.eventType(c[1]);
            e.productId = CommerceFields.id("product_id", c[2]);
            e.categoryId = CommerceFields.id("category_id", c[3]);
            e.categoryCode = CommerceFields.optional(c[4]);
            e.brand = CommerceFields.optional(c[5]);
            e.price = CommerceFields.price(c[6]);
            e.userId = CommerceFields.id("user_id", c[7]);
            e.userSession = CommerceFields.optional(c[8]);
        } catch (InvalidRecordException x) {
            throw x.withTime(e.eventTime);
        }
        return Envelope.of(source, e);
    }
}
