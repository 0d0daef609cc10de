"""Storage tests run twice: on a real SQLite file and on the real PostgreSQL test server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from factories import evaluation, national_bands, two_level_system
from service_fakes import EVALUATOR, FakeUnitOfWork, ledger, project
from typer.testing import CliRunner

from workbench.bootstrap import ensure_database
from workbench.cli import app
from workbench.services.ports import UnitOfWork
from workbench.storage.uow import Database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """URL of a fresh, empty database: a SQLite file in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workbench.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def seeded_db(database_url: str, database_templates) -> Iterator[Database]:
    """The database as the app finds it on first start: migrated, the Yiyang case loaded (a copy
    of a template ``ensure_database`` made, opened by ``ensure_database`` as the app opens it)."""
    database_templates.copy(database_url, seed=True)
    db = ensure_database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def editable_db(seeded_db: Database) -> Database:
    """The seeded database with the Yiyang case (stored 定稿) reopened by a reviewer, as an
    evaluator finds it when asked to revise the scores."""
    from actors import reopen

    reopen(seeded_db)
    return seeded_db


@pytest.fixture
def empty_db(database_url: str, database_templates) -> Iterator[Database]:
    """Migrated, nothing in it (a copy of a template, as ``seeded_db``)."""
    database_templates.copy(database_url, seed=False)
    db = ensure_database(database_url, seed=False)
    yield db
    db.dispose()


@pytest.fixture
def fresh(prepared: Path, tmp_path: Path) -> Iterator[Database]:
    """A copy of the module's ``prepared`` database folder (a fixture each matrix module defines),
    so an allowed change never leaks into the next case."""
    from actors import copy_database

    db = copy_database(prepared, tmp_path)
    yield db
    db.dispose()


@pytest.fixture
def unit_db(tmp_path: Path, database_templates) -> Iterator[Database]:
    """Where the self-evaluation tests start: a seeded SQLite database, the Yiyang case reopened,
    the project unit's account on its project."""
    from actors import UNIT, add_accounts, reopen

    url = f"sqlite:///{tmp_path / 'workbench.db'}"
    database_templates.copy(url, seed=True)
    opened = ensure_database(url)
    add_accounts(opened, UNIT)
    reopen(opened)
    yield opened
    opened.dispose()


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch, database_templates):
    """Run `workbench ...` against the test database, given by the environment variable; the
    database is what the command's first start makes of it (migrated and seeded, copied from the
    template)."""
    database_templates.copy(database_url, seed=True)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", database_url)
    monkeypatch.setenv("WORKBENCH_CLI_WIDTH", "200")
    return lambda *args: CliRunner().invoke(app, [str(a) for a in args])


NewUow = Callable[[], UnitOfWork]


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_uow(request: pytest.FixtureRequest, tmp_path, database_templates) -> Iterator[NewUow]:
    """For the repository contracts: a fresh, empty store holding the test project, system, bands and evaluation "e"."""
    if request.param == "fake":
        fake = FakeUnitOfWork()
        make: NewUow = lambda: fake  # noqa: E731  (the fake is its own unit of work, reused)
        db = None
    else:
        url = (
            f"sqlite:///{tmp_path / 'c.db'}"
            if request.param == "sqlite"
            else request.getfixturevalue("postgres_url")
        )
        database_templates.copy(url, seed=False)
        db = ensure_database(url, seed=False)
        make = db.uow
    with make() as uow:
        uow.projects.add(project(), ledger(), EVALUATOR)
        uow.systems.add(two_level_system(), EVALUATOR)
        uow.band_sets.add(national_bands(), EVALUATOR)
        uow.evaluations.add(evaluation({"A1": {}}), EVALUATOR)
        uow.commit()
    yield make
    if db is not None:
        db.dispose()
