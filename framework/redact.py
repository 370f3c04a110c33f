"""Keep passwords out of logs, errors, headers and CLI output.

Masking replaces the credentials themselves: the password part of any URL, the value of a
``password=`` pair, and each known password wherever it stands as a whole token (not inside
a longer word: a password ``postgres`` leaves ``postgresql://`` alone). A known password that
equals a user name is masked only where it stands as a password (URL, ``password=``), so that
user names stay readable.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

MASK = "***"

# user:password@ inside any URL-looking text, and password=... in key/value DSNs.
_URL_PASSWORD = re.compile(
    r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)(?P<pw>[^@\s]*)(?P<at>@)"
)
_KV_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'[^']*'|\S+)", re.IGNORECASE)
_UNMASKED_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:(?!\*\*\*@)[^@\s]+@")
_UNMASKED_KV = re.compile(r"\bpassword\s*=\s*(?!\*\*\*)\S", re.IGNORECASE)


def mask_url(url: str) -> str:
    """Return ``url`` with its password replaced by ``***`` (user, host, port, path kept)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{netloc}"))


def secret_forms(
    secrets: Iterable[str | None], *, users: Iterable[str] = (), min_length: int = 1
) -> tuple[str, ...]:
    """Each secret raw and URL-encoded, longest first (so no secret is half-masked), without
    the ones that are also user names and those shorter than ``min_length``."""
    names = set(users)
    forms = {
        form
        for secret in secrets
        if secret and len(secret) >= min_length and secret not in names
        for form in (secret, quote(secret, safe=""), quote(secret))
    }
    return tuple(sorted(forms, key=len, reverse=True))


@functools.lru_cache(maxsize=256)
def _token(form: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9_])" + re.escape(form) + r"(?![A-Za-z0-9_])")


def mask_forms(text: str, forms: tuple[str, ...]) -> str:
    """``text`` with each form masked as a whole token, then URL passwords and ``password=``
    values (the structural patterns run only when something is left to mask)."""
    for form in forms:
        if form in text:
            text = _token(form).sub(MASK, text)
    if _UNMASKED_URL.search(text) or _UNMASKED_KV.search(text):
        text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}{m['at']}", text)
        text = _KV_PASSWORD.sub(lambda m: f"{m['head']}{MASK}", text)
    return text


def redact(text: str, *secrets: str | None, users: Iterable[str] = ()) -> str:
    """Mask the given secrets (whole tokens, raw and URL-encoded), URL passwords and
    ``password=`` values. ``users``: names that stay readable even if a secret equals one.

    The known secrets go first: a password containing ``@`` or ``:`` would otherwise be cut
    by the URL pattern and leave its tail in the text.
    """
    return mask_forms(text, secret_forms(secrets, users=users))
