ALTER TABLE test_item
    DROP COLUMN IF EXISTS analysis_owner_id;
