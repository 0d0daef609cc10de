"""IdentityMemo: values by the identity of their source objects, bounded, least recently used out."""

from workbench.domain.memo import IdentityMemo


def test_the_same_objects_find_the_value_equal_ones_do_not():
    memo: IdentityMemo[str] = IdentityMemo(size=4)
    a, b = ["x"], ["y"]
    memo.put((a, b), "value")

    assert memo.get((a, b)) == "value"
    assert memo.get((["x"], b)) is None  # equal, not the same
    assert memo.get((b, a)) is None


def test_the_least_recently_used_entry_goes_first():
    memo: IdentityMemo[int] = IdentityMemo(size=2)
    one, two, three = object(), object(), object()
    memo.put((one,), 1)
    memo.put((two,), 2)
    assert memo.get((one,)) == 1  # one is now the more recent
    memo.put((three,), 3)

    assert (memo.get((one,)), memo.get((two,)), memo.get((three,))) == (1, None, 3)
