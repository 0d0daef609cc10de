"""Finding an indicator system by id in the indicators folder (formats.cases.load_system): a report
parses only the files that may declare the id, and finds the same file the full listing names."""

import shutil

import pytest

from workbench.errors import NotFound
from workbench.formats.cases import indicators_dir, list_systems, load_system

GENERIC = "mof-2020-generic"


@pytest.fixture
def folder(tmp_path):
    text = (indicators_dir() / f"{GENERIC}.yaml").read_text("utf-8")
    # "\x61-system" is "a-system" spelled with a YAML escape: its file never holds the id as written
    (tmp_path / "1-escaped.yaml").write_text(
        text.replace(f"id: {GENERIC}", 'id: "\\x61-system"').replace("name: ", "name: 转义写法 ", 1), "utf-8"
    )
    (tmp_path / "2-plain.yaml").write_text(
        text.replace(f"id: {GENERIC}", "id: a-system").replace("name: ", "name: 普通写法 ", 1), "utf-8"
    )
    shutil.copy(indicators_dir() / "grade-bands.yaml", tmp_path)
    (tmp_path / "3-other.yaml").write_text(text, "utf-8")
    return tmp_path


def test_a_system_is_the_first_file_in_name_order_declaring_its_id_however_the_id_is_written(folder):
    system = load_system("a-system", folder)

    assert system.name.startswith("转义写法")
    assert list_systems(folder)["a-system"].name == "1-escaped.yaml"
    assert load_system(GENERIC, folder).id == GENERIC


def test_an_unknown_system_is_refused_naming_the_systems_the_folder_has(folder):
    with pytest.raises(NotFound) as refused:
        load_system("no-such-system", folder)

    assert "找不到指标体系“no-such-system”" in str(refused.value)
    assert "a-system、mof-2020-generic" in str(refused.value)
