ALTER TABLE ${ohdsiSchema}.sec_user DROP COLUMN password; 
ALTER TABLE ${ohdsiSchema}.sec_user DROP COLUMN salt; 