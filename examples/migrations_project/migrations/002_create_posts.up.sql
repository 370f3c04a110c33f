-- 002: posts written by users.
CREATE TABLE posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL,
    body text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'draft',
    published_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT posts_status_check CHECK (status IN ('draft', 'published', 'archived'))
);

-- A user's latest posts: WHERE user_id = $1 ORDER BY created_at DESC.
CREATE INDEX posts_user_id_created_at_idx ON posts (user_id, created_at DESC);
-- Title search: WHERE title ILIKE '%word%'.
CREATE INDEX posts_title_trgm_idx ON posts USING gin (title gin_trgm_ops);
