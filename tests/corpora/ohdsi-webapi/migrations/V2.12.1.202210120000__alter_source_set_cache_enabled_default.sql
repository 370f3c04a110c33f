ALTER TABLE ${ohdsiSchema}.source ALTER COLUMN is_cache_enabled SET DEFAULT false;
