-- Reverts 001 (users depend on roles: drop them first).
DROP TABLE users;
DROP TABLE roles;
DROP EXTENSION IF EXISTS pg_trgm;
