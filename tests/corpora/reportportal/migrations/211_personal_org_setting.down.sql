DELETE
FROM server_settings
WHERE key = 'server.features.personal-organization.enabled';