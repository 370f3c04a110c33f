"""Keep passwords out of logs, errors, headers and CLI output."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

MASK = "***"

# user:password@ inside any URL-looking text, and password=... in key/value DSNs.
_URL_PASSWORD = re.compile(
    r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)(?P<pw>[^@\s]*)(?P<at>@)"
)
_KV_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'[^']*'|\S+)", re.IGNORECASE)


def mask_url(url: str) -> str:
    """Return ``url`` with its password replaced by ``***`` (user, host, port, path kept)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{netloc}"))


def redact(text: str, *secrets: str | None) -> str:
    """Mask each given secret (raw and URL-encoded), then URL passwords and ``password=`` pairs.

    The known secrets go first: a password containing ``@`` or ``:`` would otherwise be cut
    by the URL pattern and leave its tail in the text.
    """
    forms = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}{m['at']}", text)
    return _KV_PASSWORD.sub(lambda m: f"{m['head']}{MASK}", text)
