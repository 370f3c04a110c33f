-- +goose Up
-- +goose StatementBegin
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    status text
);
-- +goose StatementEnd
CREATE TABLE order_lines (order_id bigint NOT NULL REFERENCES orders (id), amount numeric NOT NULL);

-- +goose StatementBegin
CREATE FUNCTION order_total(wanted bigint) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
    total numeric;
BEGIN
    SELECT sum(amount) INTO total FROM order_lines WHERE order_id = wanted;
    RETURN coalesce(total, 0);
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION order_total(bigint);
DROP TABLE order_lines;
DROP TABLE orders;
