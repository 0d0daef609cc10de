"""A database at the newest schema is recognised without Alembic; anything else is left to it."""

import sqlalchemy as sa

from workbench.bootstrap import open_database
from workbench.storage import migrate, schema_check


def test_only_a_database_at_the_newest_revision_is_recognised(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    db = open_database(f"sqlite:///{tmp_path / 'wb.db'}")

    assert schema_check.at_newest(db.engine) is None  # never migrated: no alembic_version
    assert db.upgrade() == migrate.head()
    assert schema_check.at_newest(db.engine) == migrate.head()
    assert schema_check.newest_revision() == migrate.head()  # now read from the kept file

    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'from_a_newer_release'"))
    assert schema_check.at_newest(db.engine) is None
    db.dispose()


def test_a_kept_newest_revision_is_for_one_set_of_migration_files(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    schema_check.newest_revision()
    kept = list((tmp_path / "cache" / "schema").glob("*.txt"))
    (kept[0]).write_text("stale")
    monkeypatch.setattr(schema_check, "_signature", lambda: "another-set-of-files")

    assert schema_check.newest_revision() == migrate.head()
    assert len(list((tmp_path / "cache" / "schema").glob("*.txt"))) == 2
