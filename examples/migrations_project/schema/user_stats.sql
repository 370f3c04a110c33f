-- Per-user aggregates, maintained by the application.
CREATE TABLE user_stats (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    post_count integer NOT NULL DEFAULT 0,
    comment_count integer NOT NULL DEFAULT 0,
    last_post_at timestamptz
);
