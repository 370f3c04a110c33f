ALTER TABLE attachment
    ADD COLUMN file_name varchar(512);