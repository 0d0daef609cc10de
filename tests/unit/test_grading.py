"""Grade bands come from data; the lower bound of each band is inclusive."""

from decimal import Decimal as D

import pytest
from factories import national_bands

from workbench.domain.grading import Band, BandSet
from workbench.formats.cases import load_band_sets


@pytest.mark.parametrize(
    ("score", "national", "labels"),
    [
        ("100", "优", "优秀"),
        ("90", "优", "优秀"),
        ("89.99", "良", "良好"),
        ("83", "良", "良好"),
        ("80", "良", "良好"),
        ("79.99", "中", "合格"),
        ("60", "中", "合格"),
        ("59.99", "差", "不合格"),
        ("0", "差", "不合格"),
    ],
)
def test_shipped_band_sets_grade_each_boundary(score, national, labels):
    sets = load_band_sets()
    assert sets["mof-2020"].grade(D(score)) == national
    assert sets["excellent-good"].grade(D(score)) == labels


def test_band_set_must_reach_down_to_zero():
    with pytest.raises(ValueError, match="下限必须为 0"):
        BandSet(id="x", name="x", bands=[Band(label="好", min=D(60))])


def test_band_set_must_be_ordered_high_to_low():
    with pytest.raises(ValueError, match="从高到低"):
        BandSet(id="x", name="x", bands=[Band(label="差", min=D(0)), Band(label="好", min=D(60))])


def test_next_band_above_a_good_score_is_excellent():
    bands = national_bands()
    assert bands.next_band(D("83")).label == "优"
    assert bands.next_band(D("95")) is None


def test_nearest_boundary_ignores_the_zero_floor():
    assert national_bands().nearest_boundary(D("83")) == D(80)
    assert national_bands().nearest_boundary(D("5")) == D(60)
