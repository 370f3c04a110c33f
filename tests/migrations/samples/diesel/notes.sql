-- Not a migration: Diesel ignores files at the top of the migrations folder.
SELECT 1;
