-- migrate:up
ALTER TABLE items ADD COLUMN price numeric(10, 2);

-- migrate:down
ALTER TABLE items DROP COLUMN price;

-- migrate:up
INSERT INTO items (name, price) VALUES ('pen', 1.50), ('ink', 4.00);

-- migrate:down
DELETE FROM items WHERE name IN ('pen', 'ink');
