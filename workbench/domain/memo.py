"""A bounded memo keyed by the identity of the objects a value was computed from.

For values derived from immutable objects that are handed out shared (a stored evaluation's
parts, a frozen indicator and its recorded score): the same objects give the same value, without
comparing contents.  Each entry holds its objects, so their ids are not reused while it is kept;
the least recently used entry goes first.  Shared by threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    def __init__(self, size: int):
        self._items: OrderedDict[tuple[int, ...], tuple[tuple[Any, ...], V]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, objects: tuple[Any, ...]) -> V | None:
        """The value kept for exactly these objects (the same ones, not equal ones), else None."""
        key = tuple(id(o) for o in objects)
        with self._lock:
            found = self._items.get(key)
            if found is None or any(a is not b for a, b in zip(found[0], objects, strict=True)):
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, objects: tuple[Any, ...], value: V) -> V:
        with self._lock:
            self._items[tuple(id(o) for o in objects)] = (objects, value)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value
