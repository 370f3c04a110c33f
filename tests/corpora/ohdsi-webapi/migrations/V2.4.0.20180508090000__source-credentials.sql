ALTER TABLE ${ohdsiSchema}.source ADD COLUMN username VARCHAR(255);
ALTER TABLE ${ohdsiSchema}.source ADD COLUMN password VARCHAR(255);