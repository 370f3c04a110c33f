-- 005: every user gets a display name; per-user statistics.
SET LOCAL lock_timeout = '5s';

UPDATE users SET display_name = username WHERE display_name IS NULL;
ALTER TABLE users ALTER COLUMN display_name SET NOT NULL;

CREATE TABLE user_stats (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    post_count integer NOT NULL DEFAULT 0,
    comment_count integer NOT NULL DEFAULT 0,
    last_post_at timestamptz
);

INSERT INTO user_stats (user_id, post_count, comment_count, last_post_at)
SELECT u.id, count(DISTINCT p.id), count(DISTINCT c.id), max(p.created_at)
  FROM users u
  LEFT JOIN posts p ON p.user_id = u.id
  LEFT JOIN comments c ON c.user_id = u.id
 GROUP BY u.id;
