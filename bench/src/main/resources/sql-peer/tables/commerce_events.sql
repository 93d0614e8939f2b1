-- Writes Vigil's event table commerce_events: every valid commerce event.
INSERT INTO lake.vigil.commerce_events
SELECT CAST(ts AS TIMESTAMP(6)), event_type, product_id, category_id, category_code, brand, price, user_id,
       user_session, source
FROM commerce;
