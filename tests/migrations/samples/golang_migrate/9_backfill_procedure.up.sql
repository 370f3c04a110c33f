CREATE PROCEDURE backfill_names() LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts SET name = 'unknown' WHERE name IS NULL;
    COMMIT;  -- only allowed when the CALL is not inside a transaction block
END
$$;
