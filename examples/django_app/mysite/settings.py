"""Settings of the polls site. The database is PostgreSQL; under pytest, pgtdd points it at
the server it provisions (HOST, PORT, USER, PASSWORD), and pytest-django creates the test
database there."""

import os

SECRET_KEY = "example-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "polls"]
ROOT_URLCONF = "mysite.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("POLLS_DB_NAME", "polls"),
        "USER": os.environ.get("POLLS_DB_USER", "polls"),
        "PASSWORD": os.environ.get("POLLS_DB_PASSWORD", ""),
        "HOST": os.environ.get("POLLS_DB_HOST", "localhost"),
        "PORT": os.environ.get("POLLS_DB_PORT", "5432"),
    }
}
