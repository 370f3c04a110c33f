-- annotations are case-insensitive; this migration has no Down section
-- +goose up
ALTER TABLE orders ADD COLUMN notes text;
