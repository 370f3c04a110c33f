-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);

-- +goose StatementBegin
DO $$
BEGIN
    UPDATE orders SET status = 'new' WHERE status IS NULL;
    COMMIT;  -- allowed: goose runs NO TRANSACTION statements one by one
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX CONCURRENTLY orders_status_idx;
