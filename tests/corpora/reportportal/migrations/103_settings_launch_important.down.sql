DELETE
FROM server_settings
WHERE key = 'server.features.important.enabled';