"""The spec's five sample schema files (``sample_confiture_schema``): real SQL that applies.

The same files are the declarative schema of ``examples/migrations_project`` (a test checks they
stay identical): applied in this order they build exactly what its five migrations build.
"""

from __future__ import annotations

FILES: dict[str, str] = {}

FILES["extensions.sql"] = """\
-- Extensions the schema needs (trigram search on post titles).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
"""

FILES["users.sql"] = """\
-- Users and the roles they can have.
CREATE TABLE roles (
    name text PRIMARY KEY,
    description text NOT NULL
);

INSERT INTO roles (name, description) VALUES
    ('reader', 'Reads published posts'),
    ('author', 'Writes posts'),
    ('admin', 'Manages users and posts');

CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    username varchar(40) NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL DEFAULT 'reader' REFERENCES roles (name),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_username_length CHECK (char_length(username) >= 3)
);
"""

FILES["posts.sql"] = """\
-- Posts written by users, with a unique URL slug.
CREATE TABLE posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL,
    body text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'draft',
    published_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    slug text,
    CONSTRAINT posts_status_check CHECK (status IN ('draft', 'published', 'archived')),
    CONSTRAINT posts_slug_not_null CHECK (slug IS NOT NULL)
);

CREATE INDEX posts_user_id_created_at_idx ON posts (user_id, created_at DESC);
CREATE INDEX posts_title_trgm_idx ON posts USING gin (title gin_trgm_ops);
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);
"""

FILES["comments.sql"] = """\
-- Comments on posts; blank comments are not allowed.
CREATE TABLE comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT comments_body_not_blank CHECK (char_length(btrim(body)) >= 2)
);

CREATE INDEX comments_post_id_idx ON comments (post_id);
CREATE INDEX comments_user_id_idx ON comments (user_id);
"""

FILES["user_stats.sql"] = """\
-- Per-user aggregates, maintained by the application.
CREATE TABLE user_stats (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    post_count integer NOT NULL DEFAULT 0,
    comment_count integer NOT NULL DEFAULT 0,
    last_post_at timestamptz
);
"""
