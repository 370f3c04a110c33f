ALTER TABLE integration_type
DROP COLUMN plugin_type;