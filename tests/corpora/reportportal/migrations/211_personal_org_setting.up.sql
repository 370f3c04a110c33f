INSERT INTO server_settings (key, value)
VALUES ('server.features.personal-organization.enabled', 'false');