DROP PROCEDURE backfill_names();
