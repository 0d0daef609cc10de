"""A hand-written in-memory unit of work for unit tests of the services (no database, no mocks).

It keeps the same promises as the SQL one: changes made inside ``with uow:`` are visible only
after ``commit()``; every write names the version it was based on and raises ``Conflict`` when
it changed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Self

from factories import evaluation, national_bands, two_level_system
from service_fakes_rectification import FakeRectification
from service_fakes_review import FakeEvidence, FakeEvidenceFiles, FakePanels, FakeSelfEvaluations

from workbench.caching import Caches
from workbench.domain.evaluation import Evaluation, IndicatorScore
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.permissions import RoleTable
from workbench.domain.project import Project
from workbench.errors import Conflict
from workbench.security.roles import default_role_table
from workbench.services.actors import Actor
from workbench.services.ports import (
    AuditEntry,
    EvaluationHeader,
    EvaluationListing,
    EvidenceRecord,
    Item,
    ItemKind,
    Stamp,
    StoredEvaluation,
    StoredItem,
    StoredNote,
    StoredPanel,
    StoredSelfEvaluation,
    Totals,
    UserRecord,
    Versions,
    stale,
)

START = datetime(2024, 5, 6, 1, 2, tzinfo=UTC)
ROLES = default_role_table()


@dataclass
class State:
    projects: dict[str, tuple[Project, Ledger]] = field(default_factory=dict)
    systems: dict[str, IndicatorSystem] = field(default_factory=dict)
    band_sets: dict[str, BandSet] = field(default_factory=dict)
    evaluations: dict[str, StoredEvaluation] = field(default_factory=dict)
    clock: list[datetime] = field(default_factory=lambda: [START])
    users: dict[str, UserRecord] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    project_stamps: dict[str, Stamp] = field(default_factory=dict)
    selfevals: dict[str, StoredSelfEvaluation] = field(default_factory=dict)
    notes: dict[tuple[str, str], StoredNote] = field(default_factory=dict)  # (evaluation, code)
    panels: dict[str, StoredPanel] = field(default_factory=dict)  # with their sheets
    evidence: dict[int, EvidenceRecord] = field(default_factory=dict)
    evidence_ids: list[int] = field(default_factory=lambda: [0])  # a sequence: never rolled back
    evidence_bytes: dict[str, bytes] = field(default_factory=dict)
    rectification: dict[str, tuple[StoredItem, int]] = field(default_factory=dict)

    def copy(self) -> State:
        # Values are never mutated, only replaced, so copying the dicts and lists is enough;
        # the clock and the evidence id sequence are shared.
        parts = {f.name: getattr(self, f.name) for f in fields(self)}
        shared = ("clock", "evidence_ids")
        return State(**{k: v if k in shared else type(v)(v) for k, v in parts.items()})

    def stamp(self, actor: Actor, version: int) -> Stamp:
        self.clock[0] += timedelta(minutes=1)
        return Stamp(version, self.clock[0], actor.username)


class FakeProjects:
    def __init__(self, state: State):
        self.state = state

    def get(self, project_id: str) -> tuple[Project, Ledger] | None:
        return self.state.projects.get(project_id)

    def names(self) -> dict[str, str]:
        return {pid: p.name for pid, (p, _) in self.state.projects.items()}

    def many(self, project_ids: Collection[str]) -> dict[str, tuple[Project, Ledger]]:
        return {pid: self.state.projects[pid] for pid in project_ids if pid in self.state.projects}

    def add(self, project: Project, ledger: Ledger, actor: Actor) -> None:
        if project.id in self.state.projects:
            raise Conflict("duplicate project")
        self.state.projects[project.id] = (project, ledger)
        self.state.project_stamps[project.id] = self.state.stamp(actor, 1)

    def stamp(self, project_id: str) -> Stamp | None:
        return self.state.project_stamps.get(project_id)

    def update(self, project: Project, ledger: Ledger, expected_version: int, actor: Actor) -> Stamp:
        current = self.stamp(project.id)
        if current is None or current.version != expected_version:
            raise stale(f"项目“{project.name}”的事实与台账")
        self.state.projects[project.id] = (project, ledger)
        new = self.state.project_stamps[project.id] = self.state.stamp(actor, expected_version + 1)
        return new


class FakeCatalog:
    def __init__(self, items: dict):
        self.items = items

    def get(self, item_id: str):
        return self.items.get(item_id)

    def all(self) -> list:
        return [self.items[k] for k in sorted(self.items)]

    def add(self, item, actor: Actor) -> None:
        if item.id in self.items:
            raise Conflict("duplicate")
        self.items[item.id] = item


class FakeEvaluations:
    def __init__(self, state: State):
        self.state = state
        self.data = state.evaluations

    def get(self, evaluation_id: str) -> StoredEvaluation | None:
        return self.data.get(evaluation_id)

    def all(self) -> list[StoredEvaluation]:
        return [self.data[k] for k in sorted(self.data)]

    def headers(
        self, evaluation_id: str | None = None, statuses: Collection[str] | None = None
    ) -> list[EvaluationHeader]:
        picked = [s.evaluation for s in self.all() if evaluation_id in (None, s.evaluation.id)]
        picked = [e for e in picked if statuses is None or e.status in statuses]
        names = {pid: p.name for pid, (p, _) in self.state.projects.items()}
        return [
            EvaluationHeader(e.id, e.project, e.year, e.status, names.get(e.project, ""), e.title)
            for e in picked
        ]

    def listings(
        self,
        projects: Collection[str] | None = None,
        search: str = "",
        offset: int = 0,
        limit: int | None = None,
        statuses: Collection[str] | None = None,
    ) -> list[EvaluationListing]:
        """Scored on the fly: the fake keeps no totals (the SQL repository does)."""
        names = {pid: p.name for pid, (p, _) in self.state.projects.items()}
        out = []
        for stored in self.all():
            e, stamp = stored.evaluation, stored.versions.evaluation
            if (projects is not None and e.project not in projects) or (
                statuses is not None and e.status not in statuses
            ):
                continue
            if (
                search.strip()
                and search.strip().lower() not in f"{e.title} {names.get(e.project)} {e.year} {e.id}".lower()
            ):
                continue
            system = self.state.systems[e.system]
            totals = Totals.scored(system, e, self.state.band_sets[e.bands])
            place = (e.id, e.title, e.project, names.get(e.project, e.project), e.year, e.system, system.name)
            out.append(
                EvaluationListing(*place, e.status, stamp.updated_at, stamp.updated_by, stamp.version, totals)
            )
        out.sort(key=lambda row: (-row.year, row.id))
        return out[offset : None if limit is None else offset + limit]

    def count(self, projects=None, search: str = "", statuses=None) -> int:  # type: ignore[no-untyped-def]
        return len(self.listings(projects, search, statuses=statuses))

    def keep_totals(self, evaluation_id: str, totals: Totals) -> None:
        """Nothing to keep: ``listings`` scores on the fly."""

    def refresh_totals(self, evaluation_id: str) -> None:
        """Nothing to keep: ``listings`` scores on the fly."""

    def status_of(self, ids=None, statuses=None, projects=None) -> dict[str, str]:  # type: ignore[no-untyped-def]
        picked = [s.evaluation for s in self.all() if ids is None or s.evaluation.id in ids]
        return {
            e.id: e.status
            for e in picked
            if (statuses is None or e.status in statuses) and (projects is None or e.project in projects)
        }

    def ids_from(self, prefix: str) -> set[str]:
        return {k for k in self.data if k.startswith(prefix)}

    def titles_from(self, prefix: str, project: str | None = None) -> set[str]:
        names = {h.title or h.project_name for h in self.headers() if project in (None, h.project)}
        return {n for n in names if n.startswith(prefix)}

    def delete(self, evaluation_id: str, expected_version: int) -> None:
        self._check(self.data[evaluation_id].versions.evaluation, expected_version, "评价记录")
        del self.data[evaluation_id]
        # What hangs on the evaluation goes with it (the tables' ON DELETE CASCADE).
        self.state.selfevals.pop(evaluation_id, None)
        self.state.panels.pop(evaluation_id, None)
        for key in [k for k in self.state.notes if k[0] == evaluation_id]:
            del self.state.notes[key]

    def remember(self, stored: StoredEvaluation) -> None:
        """Nothing to keep: the fake holds every evaluation in memory already."""

    def add(self, ev: Evaluation, actor: Actor) -> None:
        if ev.id in self.data:
            raise Conflict("duplicate evaluation")
        first = self.state.stamp(actor, 1)
        versions = Versions(
            evaluation=first,
            scores=dict.fromkeys(ev.scores, first),
            findings={f.id: first for f in ev.findings},
            recommendations={r.id: first for r in ev.recommendations},
        )
        self.data[ev.id] = StoredEvaluation(ev, versions)

    def _check(self, current: Stamp | None, expected: int, what: str) -> None:
        if (current.version if current else 0) != expected:
            raise stale(what)

    def save_header(self, ev: Evaluation, expected_version: int, actor: Actor) -> Stamp:
        cur = self.data[ev.id]
        self._check(cur.versions.evaluation, expected_version, "评价记录")
        parts = {k: getattr(cur.evaluation, k) for k in ("scores", "findings", "recommendations")}
        new = self.state.stamp(actor, expected_version + 1)
        self.data[ev.id] = StoredEvaluation(
            ev.model_copy(update=parts), replace(cur.versions, evaluation=new)
        )
        return new

    def save_score(
        self, evaluation_id: str, code: str, score: IndicatorScore | None, expected_version: int, actor: Actor
    ) -> Stamp | None:
        cur = self.data[evaluation_id]
        self._check(cur.versions.scores.get(code), expected_version, f"指标 {code} 的评分")
        scores, stamps = dict(cur.evaluation.scores), dict(cur.versions.scores)
        new = None
        if score is None:
            del scores[code], stamps[code]
        else:
            new = stamps[code] = self.state.stamp(actor, expected_version + 1)
            scores[code] = score
        ev = cur.evaluation.model_copy(update={"scores": scores})
        self.data[evaluation_id] = StoredEvaluation(ev, replace(cur.versions, scores=stamps))
        return new

    def _put(self, evaluation_id: str, kind: ItemKind, items: list[Item], stamps: dict[str, Stamp]) -> None:
        cur = self.data[evaluation_id]
        ev = cur.evaluation.model_copy(update={kind: items})
        self.data[evaluation_id] = StoredEvaluation(ev, replace(cur.versions, **{kind: stamps}))

    def save_item(
        self, evaluation_id: str, kind: ItemKind, item: Item, expected_version: int, actor: Actor
    ) -> Stamp:
        cur = self.data[evaluation_id]
        stamps = dict(getattr(cur.versions, kind))
        self._check(stamps.get(item.id), expected_version, f"{kind} {item.id}")
        items = list(getattr(cur.evaluation, kind))
        if expected_version == 0:
            items.append(item)
        else:
            items = [item if i.id == item.id else i for i in items]
        new = stamps[item.id] = self.state.stamp(actor, expected_version + 1)
        self._put(evaluation_id, kind, items, stamps)
        return new

    def delete_item(
        self, evaluation_id: str, kind: ItemKind, item_id: str, expected_version: int, actor: Actor
    ) -> None:
        cur = self.data[evaluation_id]
        stamps = dict(getattr(cur.versions, kind))
        self._check(stamps.pop(item_id, None), expected_version, f"{kind} {item_id}")
        items = [i for i in getattr(cur.evaluation, kind) if i.id != item_id]
        self._put(evaluation_id, kind, items, stamps)

    def reorder(self, evaluation_id: str, kind: ItemKind, ids: Sequence[str], actor: Actor) -> None:
        cur = self.data[evaluation_id]
        by_id = {i.id: i for i in getattr(cur.evaluation, kind)}
        self._put(evaluation_id, kind, [by_id[i] for i in ids], dict(getattr(cur.versions, kind)))


class FakeRoles:
    """The shipped role table (read only here; its editing is tested on real databases)."""

    def table(self) -> RoleTable:
        return ROLES


class FakeUsers:
    def __init__(self, state: State):
        self.state = state

    def get(self, username: str) -> UserRecord | None:
        return self.state.users.get(username)


class FakeAudit:
    """Entries queued by the services; they join the state only when the unit of work commits."""

    def __init__(self, state: State):
        self.state = state

    def add(self, entry: AuditEntry) -> None:
        self.state.audit.append(entry)


class FakeUnitOfWork:
    def __init__(self, state: State | None = None):
        self.caches = Caches()
        self.state = state or State()
        self.commits = 0

    def __enter__(self) -> Self:
        self._working = self.state.copy()
        self.projects = FakeProjects(self._working)
        self.systems = FakeCatalog(self._working.systems)
        self.band_sets = FakeCatalog(self._working.band_sets)
        self.evaluations = FakeEvaluations(self._working)
        self.roles = FakeRoles()
        self.users = FakeUsers(self._working)
        self.audit = FakeAudit(self._working)
        self.selfevals = FakeSelfEvaluations(self._working)
        self.panels = FakePanels(self._working)
        self.evidence = FakeEvidence(self._working)
        self.evidence_files = FakeEvidenceFiles(self._working)
        self.rectification = FakeRectification(self._working)
        return self

    def __exit__(self, _type: object = None, exc: object = None, _tb: object = None) -> None:
        self._working = None
        entry = getattr(exc, "audit_entry", None)
        if entry is not None:  # a refusal is recorded after the refused work is dropped
            self.state.audit.append(entry)

    def commit(self) -> None:
        self.state = self._working.copy()
        self.commits += 1


# --- small factories ---------------------------------------------------------------------------

EVALUATOR = Actor("zhang", "张评价", "评价人员")
COLLEAGUE = Actor("li", "李评价", "评价人员")
UNIT = Actor("dw", "王填报", "项目单位")  # the project unit of project "p"
OTHER_UNIT = Actor("qt", "钱填报", "项目单位")  # a unit of another project


def add_user(uow: FakeUnitOfWork, actor: Actor, *projects: str) -> None:
    """Store ``actor``'s account (reaching ``projects``, for a role scoped to its own unit)."""
    uow.state.users[actor.username] = UserRecord(
        actor.username, actor.display_name, actor.role, "", START, projects=projects
    )


def project(**extra: object) -> Project:
    return Project.model_validate(
        {"id": "p", "name": "测试项目", "year": 2024, "unit": {"name": "测试单位"}, **extra}
    )


def ledger() -> Ledger:
    return Ledger(total_investment=Decimal(100))


def stocked_uow(scores: dict | None = None, **extra: object) -> FakeUnitOfWork:
    """A fake holding one project, the two-level test system (A1 A2 B1 C1), national bands and
    evaluation "e" with ``scores`` (and ``extra`` fields such as findings)."""
    uow = FakeUnitOfWork()
    with uow:
        uow.projects.add(project(), ledger(), EVALUATOR)
        uow.systems.add(two_level_system(), EVALUATOR)
        uow.band_sets.add(national_bands(), EVALUATOR)
        uow.evaluations.add(evaluation(scores, **extra), EVALUATOR)
        uow.commit()
    uow.commits = 0
    return uow


FULL = {"A1": {}, "A2": {"inputs": {"actual": 100}}, "B1": {}, "C1": {"inputs": {"tier": "达成"}}}


def unit_uow(scores: dict | None = None) -> FakeUnitOfWork:
    """``stocked_uow(scores or FULL)`` with the accounts of ``UNIT`` and ``OTHER_UNIT``."""
    uow = stocked_uow(scores or FULL)
    add_user(uow, UNIT, "p")
    add_user(uow, OTHER_UNIT, "other")
    return uow
