-- Reverts 004. Blank comments deleted by the up migration are not restored.
ALTER TABLE comments DROP CONSTRAINT comments_body_not_blank;
ALTER TABLE posts DROP COLUMN slug;
