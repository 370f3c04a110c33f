DROP INDEX IF EXISTS test_item_start_time_idx;
DROP INDEX IF EXISTS item_attribute_key_value_idx;
DROP INDEX IF EXISTS idx_test_item_name_trgm;
