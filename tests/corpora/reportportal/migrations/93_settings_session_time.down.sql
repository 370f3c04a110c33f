DELETE FROM server_settings WHERE key = 'server.session.expiration';
