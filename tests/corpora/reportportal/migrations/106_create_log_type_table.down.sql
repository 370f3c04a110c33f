-- Drop index from log table
DROP INDEX IF EXISTS idx_log_project_level;

-- Drop log_type table
DROP TABLE IF EXISTS log_type;
