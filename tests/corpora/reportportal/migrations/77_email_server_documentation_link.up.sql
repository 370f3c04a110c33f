UPDATE integration_type SET details = '{
  "details": {
      "documentationLink": "https://reportportal.io/docs/plugins/EmailServer"
  }}' where name = 'email'