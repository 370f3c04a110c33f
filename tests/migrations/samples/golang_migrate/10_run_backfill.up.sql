CALL backfill_names();
