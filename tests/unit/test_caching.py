"""The caches' two shapes (workbench.caching): a bounded map, and values by the identity of the
objects they were computed from; both drop the least recently used entry first."""

from workbench.caching import Caches, IdentityLru, Lru


def test_the_same_objects_find_the_value_equal_ones_do_not():
    memo: IdentityLru[str] = IdentityLru(size=4)
    a, b = ["x"], ["y"]
    memo.put((a, b), "value")

    assert memo.get((a, b)) == "value"
    assert memo.get((["x"], b)) is None  # equal, not the same
    assert memo.get((b, a)) is None


def test_the_least_recently_used_entry_goes_first():
    memo: IdentityLru[int] = IdentityLru(size=2)
    one, two, three = object(), object(), object()
    memo.put((one,), 1)
    memo.put((two,), 2)
    assert memo.get((one,)) == 1  # one is now the more recent
    memo.put((three,), 3)

    assert (memo.get((one,)), memo.get((two,)), memo.get((three,))) == (1, None, 3)


def test_a_bounded_map_loads_once_per_key_and_keeps_no_more_than_its_bound():
    loads: list[str] = []
    cache: Lru[str] = Lru(size=2)

    def load(key: str) -> str:
        loads.append(key)
        return key.upper()

    assert [cache.get_or_load(k, lambda k=k: load(k)) for k in ("a", "a", "b", "c", "a")] == list("AABCA")
    assert loads == ["a", "b", "c", "a"]  # "a" went out when "c" came in
    assert len(cache) == 2


def test_clearing_a_handles_caches_empties_every_one():
    caches = Caches()
    caches.evaluations.put(("e1", "tag"), "stored")
    caches.cases.put((caches,), "case")

    caches.clear()

    assert len(caches.evaluations) == 0 and len(caches.cases) == 0
