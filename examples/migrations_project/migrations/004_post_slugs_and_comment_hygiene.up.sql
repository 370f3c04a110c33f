-- pgtdd:no-transaction
-- 004: a unique URL slug for every post; no more blank comments.
-- Runs outside a transaction so that posts and comments stay writable: the backfill
-- commits every batch, the index is built CONCURRENTLY, and constraints are added
-- NOT VALID and validated afterwards (VALIDATE does not block writes).
SET lock_timeout = '5s';

ALTER TABLE posts ADD COLUMN slug text;

DO $$
DECLARE
    updated integer;
BEGIN
    LOOP
        UPDATE posts
           SET slug = lower(regexp_replace(title, '[^a-zA-Z0-9]+', '-', 'g')) || '-' || id
         WHERE id IN (SELECT id FROM posts WHERE slug IS NULL ORDER BY id LIMIT 1000);
        GET DIAGNOSTICS updated = ROW_COUNT;
        EXIT WHEN updated = 0;
        COMMIT;
    END LOOP;
END
$$;

CREATE UNIQUE INDEX CONCURRENTLY posts_slug_key ON posts (slug);

ALTER TABLE posts ADD CONSTRAINT posts_slug_not_null CHECK (slug IS NOT NULL) NOT VALID;
ALTER TABLE posts VALIDATE CONSTRAINT posts_slug_not_null;

DELETE FROM comments WHERE char_length(btrim(body)) < 2;
ALTER TABLE comments
    ADD CONSTRAINT comments_body_not_blank CHECK (char_length(btrim(body)) >= 2) NOT VALID;
ALTER TABLE comments VALIDATE CONSTRAINT comments_body_not_blank;

RESET lock_timeout;
