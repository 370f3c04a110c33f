ALTER TABLE test_item
    ADD COLUMN analysis_owner_id BIGINT;
