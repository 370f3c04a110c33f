DELETE FROM server_settings
WHERE key = 'server.password.min.length';
