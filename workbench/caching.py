"""Every cache of the workbench, on one page.

Caches hang on the database handle (``storage.uow.Database.caches``, one ``Caches`` per open
database), never in module globals and never in ``domain/``: two databases in one process (a
test, a restore check, a second site) never see each other's objects, and disposing a handle
drops what it cached.  A unit of work hands its handle's caches to its repositories and to the
services (``uow.caches``).  Everything cached is immutable (frozen models, read-only tables), so
one object may serve every thread.

| cache         | key                                         | value                      | bound |
|---------------|---------------------------------------------|----------------------------|-------|
| ``systems``   | (system id, content hash of its document)   | parsed ``IndicatorSystem`` | 64    |
| ``bands``     | (band-set id, content hash)                 | parsed ``BandSet``         | 64    |
| ``projects``  | (project id, "version@updated_at")          | (``Project``, ``Ledger``)  | 32    |
| ``evaluations`` | (evaluation id, etag)                     | ``StoredEvaluation``       | 32    |
| ``titles``    | (evaluation id, etag)                       | the title in its header    | 8192  |
| ``roles``     | the role rows' contents                     | ``RoleTable``              | 1     |
| ``cases``     | identity of (evaluation, project, system, bands) | ``Case`` (with its scorecard) | 32 |
| ``leaves``    | identity of (indicator, recorded entry)     | the leaf's ``NodeScore``   | 8192  |
| ``report_checks`` | identity of the ``Case``                | the report checks' problems | 32   |
| ``passages``  | identity of (ledger, ledger decisions, project, evaluator) | each passage's narrative findings, by its text's identity | 32 |

Invalidation is by key, written nowhere else: every key carries the stored version of what it
was read from — a content hash, a version stamp, or the evaluation's etag, which every write to
any part of an evaluation changes (``storage.repository``).  A reader first reads that version
(one small query, or the tag read alongside the evaluation) and so can never be served an older
object; a read that spans evaluations (last year's beside this year's) checks each one's etag, so
it sees a change to either.  The same holds across processes: a save made by another app server
on the same database renews the tag, so this server's next read misses its old entry (checked by
tests/e2e/test_multiserver.py).  The identity-keyed caches need no invalidation at all: a changed
part is a new object, so the old entry is simply never asked for again and ages out.  Nothing
needs clearing after a write; ``Caches.clear`` exists for a restore, which replaces everything.

Outside the handle there are only caches of shipped files and fonts, keyed by path and
modification time (``formats.score_import``) or taking no argument (``reports.fonts``,
``reports.charts``), all bounded.  Caches measured to gain less than the noise of a page run
were removed.  (The UI keeps its database handles, one per URL, in ``ui.backend``: handles, not
cached data.)  Files kept between processes (chart pictures, compiled report templates, the
newest schema revision) are listed in ``workbench.disk_cache``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class Lru(Generic[V]):
    """A bounded map, least recently used out first, shared by threads."""

    def __init__(self, size: int):
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> V:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def get_or_load(self, key: Hashable, load: Callable[[], V]) -> V:
        found = self.get(key)
        return found if found is not None else self.put(key, load())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class IdentityLru(Generic[V]):
    """Values by the identity of the objects they were computed from (the same objects, not
    equal ones).  Each entry holds its objects, so their ids are not reused while it is kept."""

    def __init__(self, size: int):
        self._lru: Lru[tuple[tuple[Any, ...], V]] = Lru(size)

    def get(self, objects: tuple[Any, ...]) -> V | None:
        found = self._lru.get(tuple(map(id, objects)))
        if found is None:
            return None
        for kept, asked in zip(found[0], objects, strict=True):
            if kept is not asked:
                return None
        return found[1]

    def put(self, objects: tuple[Any, ...], value: V) -> V:
        self._lru.put(tuple(map(id, objects)), (objects, value))
        return value

    def clear(self) -> None:
        self._lru.clear()

    def __len__(self) -> int:
        return len(self._lru)


@dataclass
class Caches:
    """The caches of one database handle (see the table above)."""

    systems: Lru[Any] = field(default_factory=lambda: Lru(64))
    bands: Lru[Any] = field(default_factory=lambda: Lru(64))
    projects: Lru[Any] = field(default_factory=lambda: Lru(32))
    evaluations: Lru[Any] = field(default_factory=lambda: Lru(32))
    titles: Lru[str] = field(default_factory=lambda: Lru(8192))
    roles: Lru[Any] = field(default_factory=lambda: Lru(1))
    cases: IdentityLru[Any] = field(default_factory=lambda: IdentityLru(32))
    leaves: IdentityLru[Any] = field(default_factory=lambda: IdentityLru(8192))
    report_checks: IdentityLru[Any] = field(default_factory=lambda: IdentityLru(32))
    passages: IdentityLru[Any] = field(default_factory=lambda: IdentityLru(32))

    def clear(self) -> None:
        for cache in vars(self).values():
            cache.clear()
