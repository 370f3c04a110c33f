DELETE FROM server_settings WHERE key = 'server.users.sso';

