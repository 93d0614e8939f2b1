package io.vigil.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.CommerceEvent;
import io.vigil.model.Envelope;

/** Commerce events as JSON with the REES46 column names as keys. */
public class CommerceJsonParser implements RecordParser {
    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        JsonNode root = JsonFields.parseObject(text);
        CommerceEvent e = new CommerceEvent();
        e.eventTime = EventTimes.parseRees46(
                "event_time", JsonFields.requiredText(root, "event_time", "event_time"));
        try {
            e.eventType = CommerceFields.eventType(JsonFields.optionalText(root, "event_type", "event_type"));
            e.productId = JsonFields.requiredLong(root, "product_id", "product_id");
            e.categoryId = JsonFields.requiredLong(root, "category_id", "category_id");
            e.categoryCode = JsonFields.optionalText(root, "category_code", "category_code");
            e.brand = JsonFields.optionalText(root, "brand", "brand");
            double price = JsonFields.requiredDouble(root, "price", "price");
            e.price = CommerceFields.checkPrice(price, Double.toString(price));
            e.userId = JsonFields.requiredLong(root, "user_id", "user_id");
            e.userSession = JsonFields.optionalText(root, "user_session", "user_session");
        } catch (InvalidRecordException x) {
            throw x.withTime(e.eventTime);
        }
        return Envelope.of(source, e);
    }
}
