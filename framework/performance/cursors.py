"""psycopg cursors that report each statement they send to the current test's counter
(:mod:`pgtdd.performance.queries`, which also offers them by name)."""

from __future__ import annotations

from typing import Any

import psycopg

from pgtdd.performance.queries import count_statement


class CountingCursor(psycopg.Cursor[Any]):
    """A psycopg cursor that reports each statement it sends."""

    def execute(self, *args: Any, **kwargs: Any) -> CountingCursor:
        count_statement()
        super().execute(*args, **kwargs)
        return self

    def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> None:
        params = list(params_seq)
        count_statement(len(params))
        super().executemany(query, params, **kwargs)


class AsyncCountingCursor(psycopg.AsyncCursor[Any]):
    """The asyncio twin of :class:`CountingCursor`."""

    async def execute(self, *args: Any, **kwargs: Any) -> AsyncCountingCursor:
        count_statement()
        await super().execute(*args, **kwargs)
        return self

    async def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> None:
        params = list(params_seq)
        count_statement(len(params))
        await super().executemany(query, params, **kwargs)
