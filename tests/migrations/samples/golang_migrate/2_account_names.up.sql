-- golang-migrate sends the file as it is: this one carries its own transaction.
BEGIN;
ALTER TABLE accounts ADD COLUMN name text;
UPDATE accounts SET name = split_part(email, '@', 1);
COMMIT;
