INSERT INTO server_settings (key, value)
VALUES ('server.features.important.enabled', 'true');