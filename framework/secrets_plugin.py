"""pytest hooks that keep the session's passwords out of everything pytest prints or writes.

pgtdd's own messages never carry a password (they use ``safe_url``/``redact``), but a failing
test's traceback shows the arguments of every frame, and drivers keep the password in theirs:
``asyncpg``'s ``ConnectionParameters(password='...')``, ``psycopg``'s ``conninfo``. This plugin
masks, in every test and collection report (long traceback, captured output and logs, so the
terminal, ``-rA`` sections and JUnit XML), in every log record (live ``log_cli`` lines, caplog,
``--log-file``) and in every recorded warning:

* each password pgtdd knows for the session (the profile's, the one in its ``url`` or in
  ``TEST_DATABASE_URL``, ``PGPASSWORD``), raw and URL-encoded, when at least
  :data:`MIN_SECRET_LENGTH` characters long (a shorter one would mask ordinary words);
* the password of any ``scheme://user:password@`` URL and any ``password=...`` pair.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest

from framework.redact import MASK, redact

MIN_SECRET_LENGTH = 4
SECRETS_KEY = pytest.StashKey[tuple[str, ...]]()
_FACTORY_KEY = pytest.StashKey[Callable[..., logging.LogRecord]]()
# Secret forms of the sessions configured in this process (pytester can nest one in another).
_active: list[tuple[str, ...]] = []
_UNMASKED_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:(?!\*\*\*@)[^@\s]+@")
_KV = re.compile(r"\bpassword\s*=\s*(?!\*\*\*)\S", re.IGNORECASE)


def secret_forms(secrets: Iterable[str]) -> tuple[str, ...]:
    """Each secret raw and URL-encoded, longest first (so no secret is half-masked)."""
    forms = {
        form
        for secret in secrets
        if len(secret) >= MIN_SECRET_LENGTH
        for form in (secret, quote(secret, safe=""), quote(secret))
    }
    return tuple(sorted(forms, key=len, reverse=True))


def mask(text: str, forms: tuple[str, ...]) -> str:
    """``text`` with every known secret form, URL password and ``password=`` value masked."""
    for form in forms:
        if form in text:
            text = text.replace(form, MASK)
    if _UNMASKED_URL.search(text) or _KV.search(text):
        text = redact(text)
    return text


def known_secrets(config: pytest.Config, environ: Mapping[str, str] | None = None) -> list[str]:
    """The passwords this session may use: profile, profile URL, TEST_DATABASE_URL, PGPASSWORD."""
    env = os.environ if environ is None else environ
    found = [env.get("PGPASSWORD", "")]
    urls = [env.get("TEST_DATABASE_URL", "")]
    try:
        from framework.plugin import SETTINGS_KEY

        profile = config.stash[SETTINGS_KEY].profile
    except (ImportError, KeyError):
        profile = None
    if profile is not None:
        found.append(profile.password)
        urls.append(profile.url or "")
    for url in urls:
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        if password:
            found += [password, unquote(password)]
    return [secret for secret in found if secret]


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Collect the session's secrets (after the pgtdd plugin resolved the profile)."""
    forms = secret_forms(known_secrets(config))
    config.stash[SECRETS_KEY] = forms
    _active.append(forms)
    previous = logging.getLogRecordFactory()
    config.stash[_FACTORY_KEY] = previous

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: leave it to logging
            return record
        masked = mask(message, forms)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    logging.setLogRecordFactory(factory)


def pytest_unconfigure(config: pytest.Config) -> None:
    forms = config.stash.get(SECRETS_KEY, None)
    if forms is not None and forms in _active:
        _active.remove(forms)
    previous = config.stash.get(_FACTORY_KEY, None)
    if previous is not None:
        logging.setLogRecordFactory(previous)


def _forms(config: pytest.Config) -> tuple[str, ...]:
    return config.stash.get(SECRETS_KEY, ())


def clean_report(report: pytest.CollectReport | pytest.TestReport, forms: tuple[str, ...]) -> None:
    """Mask secrets in a report's traceback and captured sections, in place."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # a skip: (path, line, reason)
        path, line, reason = longrepr
        report.longrepr = (path, line, mask(reason, forms))
    elif longrepr is not None:
        text = str(longrepr)
        masked = mask(text, forms)
        if masked != text:
            report.longrepr = masked
    report.sections = [(title, mask(content, forms)) for title, content in report.sections]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    clean_report(report, _forms(item.config))
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    clean_report(report, _forms(collector.config))
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_warning_recorded(warning_message: Any, when: str, nodeid: str, location: Any) -> None:
    """Mask a warning's text before the terminal (or anything else) records it."""
    text = str(warning_message.message)
    masked = mask(text, _active[-1] if _active else ())
    if masked == text:
        return
    try:
        warning_message.message = warning_message.category(masked)
    except TypeError:  # a warning class with another signature
        warning_message.message = UserWarning(masked)
