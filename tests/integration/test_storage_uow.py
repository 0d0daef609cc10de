"""Units of work, migrations and failed imports on real databases (SQLite file and PostgreSQL)."""

import shutil

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from workbench.domain.ledger import Ledger
from workbench.domain.project import Project
from workbench.errors import Conflict, InvalidInput
from workbench.formats.yamlio import dump_yaml
from workbench.services import cases, catalog, evaluations
from workbench.services.actors import SYSTEM
from workbench.storage import migrate
from workbench.storage.tables import Base
from workbench.storage.uow import open_database


def a_project(project_id="p-new"):
    return Project(id=project_id, name="新项目", year=2024, unit={"name": "某局"})


def snapshot(db):
    rows = evaluations.list_evaluations(db.uow(), SYSTEM)
    systems = [s.id for s in catalog.list_systems(db.uow(), SYSTEM)]
    with db.uow() as uow:
        return rows, systems, sorted(uow.projects.names())


def test_changes_without_commit_are_not_kept(empty_db):
    with empty_db.uow() as uow:
        uow.projects.add(a_project(), Ledger(total_investment=100), SYSTEM)
        assert uow.projects.get("p-new") is not None  # visible inside the unit of work
    with empty_db.uow() as uow:
        assert uow.projects.get("p-new") is None


def test_an_exception_inside_the_unit_of_work_rolls_everything_back(empty_db):
    with pytest.raises(RuntimeError), empty_db.uow() as uow:
        uow.projects.add(a_project(), Ledger(total_investment=100), SYSTEM)
        raise RuntimeError("power cut")
    with empty_db.uow() as uow:
        assert uow.projects.names() == {}


def test_committed_changes_are_there_for_the_next_unit_of_work(empty_db):
    with empty_db.uow() as uow:
        uow.projects.add(a_project(), Ledger(total_investment=100), SYSTEM)
        uow.commit()
    with empty_db.uow() as uow:
        assert uow.projects.names() == {"p-new": "新项目"}


def test_a_case_folder_with_a_malformed_evaluation_file_changes_nothing(seeded_db, yiyang_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(yiyang_dir, broken)
    text = (broken / "evaluation.yaml").read_text("utf-8")
    (broken / "evaluation.yaml").write_text(text.replace("year: 2018", "year: 2018\n  oops: [", 1), "utf-8")
    before = snapshot(seeded_db)

    with pytest.raises(InvalidInput) as err:
        cases.import_case(seeded_db.uow(), SYSTEM, broken, evaluation_id="second")

    assert "evaluation.yaml" in str(err.value) and "YAML 格式错误" in str(err.value)
    assert snapshot(seeded_db) == before


def test_an_import_refused_after_part_of_it_was_written_leaves_no_trace(seeded_db, yiyang_dir, tmp_path):
    # A new indicator system is written first; then the project turns out to clash with the stored one.
    clash = tmp_path / "clash"
    shutil.copytree(yiyang_dir, clash)
    system = catalog.get_system(seeded_db.uow(), SYSTEM, "yiyang-2018")
    renamed = system.model_copy(update={"id": "yiyang-2018-b"})
    (clash / "indicators.yaml").write_text(
        dump_yaml(renamed.model_dump(mode="python", exclude_defaults=True)), "utf-8"
    )
    for name, old, new in (
        ("evaluation.yaml", "system: yiyang-2018", "system: yiyang-2018-b"),
        ("project.yaml", "name: 益阳智慧大脑+政务服务项目", "name: 益阳智慧大脑项目（改名）"),
    ):
        path = clash / name
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    before = snapshot(seeded_db)

    with pytest.raises(Conflict, match="项目“yiyang-smart-brain-2018”已存在且事实或台账"):
        cases.import_case(seeded_db.uow(), SYSTEM, clash, evaluation_id="second")

    assert snapshot(seeded_db) == before
    assert "yiyang-2018-b" not in before[1]


def test_migrations_take_an_empty_database_to_head_matching_the_tables(database_url):
    db = open_database(database_url)
    try:
        assert migrate.current(db.engine) is None
        assert migrate.upgrade(db.engine) == migrate.head()
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert differences == []
        assert migrate.upgrade(db.engine) == migrate.head()  # running again is harmless
    finally:
        db.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    db = open_database(tmp_path / "x.db")
    try:
        with db.engine.connect() as conn:
            pragmas = [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("journal_mode", "foreign_keys")]
            timeout = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert pragmas == ["wal", 1]
        assert timeout >= 1000
    finally:
        db.dispose()


def test_an_unreachable_database_is_reported_in_chinese_without_its_password():
    db = open_database("postgresql+psycopg://app:secret@127.0.0.1:1/nowhere")
    try:
        with pytest.raises(InvalidInput, match="无法连接数据库") as err:
            migrate.upgrade(db.engine)
        assert "secret" not in str(err.value)
    finally:
        db.dispose()


def test_a_database_from_a_newer_release_is_refused_with_a_message(empty_db):
    with empty_db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(InvalidInput, match="数据库结构版本“9999_future”不是本程序认识的版本"):
        migrate.upgrade(empty_db.engine)
