-- 001: roles and users.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

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
    display_name text,
    role text NOT NULL DEFAULT 'reader' REFERENCES roles (name),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_username_length CHECK (char_length(username) >= 3)
);
