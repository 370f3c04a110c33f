INSERT INTO server_settings (key, value)
VALUES ('server.password.min.length', '8');
