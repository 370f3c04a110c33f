-- Reverts 005, including the display names it filled in.
DROP TABLE user_stats;
ALTER TABLE users ALTER COLUMN display_name DROP NOT NULL;
UPDATE users SET display_name = NULL WHERE display_name = username;
