"""Repositories on SQLAlchemy: they convert between rows and domain objects.

Loading one evaluation takes a fixed handful of queries (header, scores, findings,
recommendations), never one per indicator.  Indicator systems and band sets are immutable once
stored, so their parsed form is cached per process by id and content hash.  What can change is
cached only under a tag that every change renews, checked by a light query in the reading
transaction: an evaluation under its ``etag`` (renewed by each write to it or its parts in the
same transaction), a project under its version and time of change.  Cached objects are shared
between threads and treated as read-only.

Reading an evaluation's tag reads, in the same query, the tags of its project, indicator system
and bands; the next look-up of each of those in the unit of work uses that tag instead of asking
again (``KNOWN_TAGS``, kept in the session's ``info``), so opening a case costs one light query.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session

from workbench.caching import Caches, Lru
from workbench.domain.evaluation import Evaluation, Finding, IndicatorScore, Recommendation
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.project import Project
from workbench.services.actors import Actor
from workbench.services.ports import (
    ITEM_LABELS,
    EvaluationHeader,
    Item,
    ItemKind,
    Stamp,
    StoredEvaluation,
    Versions,
    stale,
)
from workbench.storage import prepared
from workbench.storage.checked import VersionChecked, stamp, version_slots
from workbench.storage.engine import content_hash
from workbench.storage.evaluation_totals import HEADER_COLUMNS, Loaded, StoredTotals
from workbench.storage.security_repo import ROLE_STAMP
from workbench.storage.stored_docs import opened
from workbench.storage.tables import (
    BandSetRow,
    EvaluationRow,
    FindingRow,
    ProjectRow,
    RecommendationRow,
    ScoreRow,
    SystemRow,
    new_etag,
    utcnow,
)

M = TypeVar("M", bound=BaseModel)
COLUMNS = ("id", "project", "system", "bands", "year", "status")  # Evaluation fields kept as columns
PARTS = ("scores", "findings", "recommendations")  # kept in their own tables
ITEM_ROWS: dict[ItemKind, type[FindingRow] | type[RecommendationRow]] = {
    "findings": FindingRow,
    "recommendations": RecommendationRow,
}
ITEM_MODELS: dict[ItemKind, type[Finding] | type[Recommendation]] = {
    "findings": Finding,
    "recommendations": Recommendation,
}


def to_doc(model: BaseModel, exclude: set[str] | None = None) -> dict[str, Any]:
    return model.model_dump(mode="python", exclude=exclude)


def _stamps(actor: Actor) -> dict[str, Any]:
    now = utcnow()
    return {"created_at": now, "created_by": actor.username, "updated_at": now, "updated_by": actor.username}


# session.info key: {(table, id): tag} read alongside an evaluation's etag, each used once.
KNOWN_TAGS = "workbench_known_tags"


def known_tag(session: Session, table: str, item_id: str) -> str | None:
    """The tag of ``table``'s row ``item_id`` as read with an evaluation in this session (once)."""
    known = session.info.get(KNOWN_TAGS)
    return known.pop((table, item_id), None) if known else None


def project_tag(version: int, updated_at: Any) -> str:
    return f"{version}@{updated_at.isoformat()}"


class SqlProjects(VersionChecked):
    def __init__(self, session: Session, caches: Caches):
        super().__init__(session)
        self.cache = caches.projects

    def get(self, project_id: str) -> tuple[Project, Ledger] | None:
        tag = known_tag(self.session, ProjectRow.__tablename__, project_id)
        if tag is None:
            found = self.session.execute(
                sa.select(ProjectRow.version, ProjectRow.updated_at).where(ProjectRow.id == project_id)
            ).first()
            if found is None:
                return None
            tag = project_tag(found.version, found.updated_at)

        def load() -> tuple[Project, Ledger]:
            row = self.session.get(ProjectRow, project_id, populate_existing=True)
            assert row is not None
            place = f"项目“{project_id}”"
            return opened(Project, row.facts, f"{place}的项目信息"), opened(
                Ledger, row.ledger, f"{place}的资金台账"
            )

        return self.cache.get_or_load((project_id, tag), load)

    def many(self, project_ids: Collection[str]) -> dict[str, tuple[Project, Ledger]]:
        """Tags of all in one light query; the documents of those not cached in one more."""
        wanted = sorted(set(project_ids))
        if not wanted:
            return {}
        tags = {
            pid: project_tag(version, updated_at)
            for pid, version, updated_at in self.session.execute(
                sa.select(ProjectRow.id, ProjectRow.version, ProjectRow.updated_at).where(
                    ProjectRow.id.in_(wanted)
                )
            )
        }
        found = {pid: self.cache.get((pid, tag)) for pid, tag in tags.items()}
        missing = [pid for pid, hit in found.items() if hit is None]
        if missing:
            query = sa.select(ProjectRow.id, ProjectRow.facts, ProjectRow.ledger).where(
                ProjectRow.id.in_(missing)
            )
            for pid, facts, ledger in self.session.execute(query):
                place = f"项目“{pid}”"
                loaded = (
                    opened(Project, facts, f"{place}的项目信息"),
                    opened(Ledger, ledger, f"{place}的资金台账"),
                )
                found[pid] = self.cache.put((pid, tags[pid]), loaded)
        return {pid: value for pid, value in found.items() if value is not None}

    def names(self) -> dict[str, str]:
        return {pid: name for pid, name in self.session.execute(sa.select(ProjectRow.id, ProjectRow.name))}

    def add(self, project: Project, ledger: Ledger, actor: Actor) -> None:
        self.session.add(
            ProjectRow(
                id=project.id,
                name=project.name,
                year=project.year,
                facts=to_doc(project),
                ledger=to_doc(ledger),
                **_stamps(actor),
            )
        )
        self.session.flush()  # rows are written in call order: evaluations refer to this one

    def stamp(self, project_id: str) -> Stamp | None:
        row = self.session.get(ProjectRow, project_id, populate_existing=True)
        return None if row is None else stamp(row)

    def update(self, project: Project, ledger: Ledger, expected_version: int, actor: Actor) -> Stamp:
        """Replace the project's facts and ledger, refused when another save came first."""
        values = {
            "name": project.name,
            "year": project.year,
            "facts": to_doc(project),
            "ledger": to_doc(ledger),
        }
        where = (ProjectRow.id == project.id,)
        return self._update(
            ProjectRow, where, expected_version, values, actor, f"项目“{project.name}”的事实与台账"
        )


class _SqlImmutable:
    """Shared code of the indicator-system and band-set repositories."""

    row: type[SystemRow] | type[BandSetRow]
    model: type[IndicatorSystem] | type[BandSet]
    cache_name: str  # of the database handle's caches (workbench.caching)

    def __init__(self, session: Session, caches: Caches):
        self.session = session
        self.cache: Lru[Any] = getattr(caches, self.cache_name)

    def _parse(self, item_id: str, digest: str) -> Any:
        def load() -> Any:
            doc = self.session.scalar(sa.select(self.row.doc).where(self.row.id == item_id))
            return self.model.model_validate(doc)

        return self.cache.get_or_load((item_id, digest), load)

    def get(self, item_id: str) -> Any:
        digest = known_tag(self.session, self.row.__tablename__, item_id) or self.session.scalar(
            sa.select(self.row.content_hash).where(self.row.id == item_id)
        )
        return None if digest is None else self._parse(item_id, digest)

    def all(self) -> list[Any]:
        rows = self.session.execute(sa.select(self.row.id, self.row.content_hash).order_by(self.row.id))
        return [self._parse(item_id, digest) for item_id, digest in rows]

    def add(self, item: IndicatorSystem | BandSet, actor: Actor) -> None:
        doc = to_doc(item)
        self.session.add(
            self.row(id=item.id, name=item.name, content_hash=content_hash(doc), doc=doc, **_stamps(actor))
        )
        self.session.flush()  # rows are written in call order: evaluations refer to this one


class SqlSystems(_SqlImmutable):
    row = SystemRow
    model = IndicatorSystem
    cache_name = "systems"


class SqlBandSets(_SqlImmutable):
    row = BandSetRow
    model = BandSet
    cache_name = "bands"


_HEADERS = HEADER_COLUMNS.order_by(EvaluationRow.id)


class SqlEvaluations(StoredTotals, VersionChecked):
    def __init__(self, session: Session, caches: Caches):
        VersionChecked.__init__(self, session)
        StoredTotals.__init__(self)
        self.caches = caches
        self.cache = caches.evaluations
        # The tag each evaluation had when this unit of work read it, followed through its own
        # writes; dropped when someone else's write came in between (then nothing is remembered).
        self._tags: dict[str, str] = {}

    # --- reading --------------------------------------------------------------------------

    def get(self, evaluation_id: str) -> StoredEvaluation | None:
        found = self.session.execute(prepared.TAGS, {"w_id": evaluation_id}).first()
        if found is None:
            return None
        self.session.info[ROLE_STAMP] = found.roles  # the role table's check needs no query of its own
        if found.etag is not None:
            self._tags[evaluation_id] = found.etag
        known = self.session.info.setdefault(KNOWN_TAGS, {})
        if found.version is not None:
            known[(ProjectRow.__tablename__, found.project_id)] = project_tag(found.version, found.updated_at)
        if found.system_hash is not None:
            known[(SystemRow.__tablename__, found.system_id)] = found.system_hash
        if found.bands_hash is not None:
            known[(BandSetRow.__tablename__, found.band_set_id)] = found.bands_hash

        def load() -> StoredEvaluation:
            # populate_existing: rows this session already holds may predate its own updates
            header = self.session.get(EvaluationRow, evaluation_id, populate_existing=True)
            assert header is not None
            return self._assemble([header], evaluation_id)[0]

        return load() if found.etag is None else self.cache.get_or_load((evaluation_id, found.etag), load)

    def _touch(self, evaluation_id: str) -> None:
        """Renew the evaluation's tag: something in it changed in this transaction.  When the
        tag is still the one this unit of work read, nobody else wrote in between, and the
        caller may ``remember`` the evaluation as it now is."""
        new, seen = new_etag(), self._tags.pop(evaluation_id, None)
        if seen is not None:
            # The totals a service kept go with the new tag (one statement, not two): they hold
            # exactly when the tag is still the one it read them against.
            kept = self._kept.pop(evaluation_id, None)
            statement = prepared.TOUCH_SEEN if kept is None else prepared.TOUCH_SEEN_TOTALS
            result = self.session.execute(statement, prepared.touch_values(evaluation_id, new, seen, kept))
            if result.rowcount == 1:  # type: ignore[attr-defined]
                self._tags[evaluation_id] = new
                self._unbroken.add(evaluation_id)
                if kept is not None:
                    self._dirty.discard(evaluation_id)  # written: nothing left for ``write_totals``
                return
        self._unbroken.discard(evaluation_id)
        self.session.execute(prepared.TOUCH, {"w_id": evaluation_id, "v_etag": new})

    def remember(self, stored: StoredEvaluation) -> None:
        """After a commit: keep ``stored`` (the evaluation as this unit of work left it) for the
        next reader, under its new tag — only if no one else's write came in between."""
        tag = self._tags.get(stored.evaluation.id)
        if tag is not None:
            self.cache.put((stored.evaluation.id, tag), stored)
            # and its title under the same tag: the picker's next page run need not read it again
            self.caches.titles.put((stored.evaluation.id, tag), stored.evaluation.title)

    def all(self) -> list[StoredEvaluation]:
        headers = self.session.scalars(sa.select(EvaluationRow).order_by(EvaluationRow.id)).all()
        return self._assemble(list(headers), None) if headers else []

    def headers(
        self, evaluation_id: str | None = None, statuses: Collection[str] | None = None
    ) -> list[EvaluationHeader]:
        query = _HEADERS if evaluation_id is None else _HEADERS.where(EvaluationRow.id == evaluation_id)
        if statuses is not None:
            query = query.where(EvaluationRow.status.in_(sorted(statuses)))
        return self.headers_in(query)

    def _load_for_totals(self, evaluation_id: str) -> Loaded | None:
        """The evaluation as stored now with its system and bands (None when it is gone)."""
        header = self.session.get(EvaluationRow, evaluation_id, populate_existing=True)
        if header is None:
            return None
        ev = self._assemble([header], evaluation_id)[0].evaluation
        system = SqlSystems(self.session, self.caches).get(ev.system)
        return ev, system, SqlBandSets(self.session, self.caches).get(ev.bands)

    def _assemble(self, headers: list[EvaluationRow], only: str | None) -> list[StoredEvaluation]:
        """Headers plus their parts: three queries whatever the number of indicators."""
        parts: dict[str, dict[str, list[Any]]] = {h.id: {p: [] for p in PARTS} for h in headers}
        for name, row_type in (("scores", ScoreRow), *((k, ITEM_ROWS[k]) for k in ITEM_ROWS)):
            query = sa.select(row_type).execution_options(populate_existing=True)
            if only is not None:
                query = query.where(row_type.evaluation_id == only)
            if name != "scores":
                query = query.order_by(row_type.evaluation_id, row_type.position, row_type.id)
            for row in self.session.scalars(query):
                parts[row.evaluation_id][name].append(row)
        return [self._to_domain(h, parts[h.id]) for h in headers]

    @staticmethod
    def _to_domain(header: EvaluationRow, parts: dict[str, list[Any]]) -> StoredEvaluation:
        data = {
            **header.header,
            "id": header.id,
            "project": header.project_id,
            "system": header.system_id,
            "bands": header.band_set_id,
            "year": header.year,
            "status": header.status,
            "scores": {row.code: row.doc for row in parts["scores"]},
            "findings": [{"id": row.id, **row.doc} for row in parts["findings"]],
            "recommendations": [{"id": row.id, **row.doc} for row in parts["recommendations"]],
        }
        versions = Versions(
            evaluation=stamp(header),
            scores={row.code: stamp(row) for row in parts["scores"]},
            findings={row.id: stamp(row) for row in parts["findings"]},
            recommendations={row.id: stamp(row) for row in parts["recommendations"]},
        )
        return StoredEvaluation(opened(Evaluation, data, f"评价“{header.id}”", header.id), versions)

    # --- writing --------------------------------------------------------------------------

    def add(self, evaluation: Evaluation, actor: Actor) -> None:
        stamps = _stamps(actor)
        self.session.add(EvaluationRow(**self._header_columns(evaluation), **stamps))
        self.session.flush()  # the header first: the parts refer to it
        self.refresh_totals(evaluation.id)
        for code, score in evaluation.scores.items():
            self.session.add(ScoreRow(evaluation_id=evaluation.id, code=code, doc=to_doc(score), **stamps))
        for kind in ITEM_ROWS:
            for position, item in enumerate(getattr(evaluation, kind)):
                self.session.add(
                    ITEM_ROWS[kind](
                        evaluation_id=evaluation.id,
                        id=item.id,
                        position=position,
                        doc=to_doc(item, {"id"}),
                        **stamps,
                    )
                )

    @staticmethod
    def _header_columns(evaluation: Evaluation) -> dict[str, Any]:
        return {
            "id": evaluation.id,
            "project_id": evaluation.project,
            "system_id": evaluation.system,
            "band_set_id": evaluation.bands,
            "year": evaluation.year,
            "status": evaluation.status,
            "header": to_doc(evaluation, {*COLUMNS, *PARTS}),
        }

    def save_header(self, evaluation: Evaluation, expected_version: int, actor: Actor) -> Stamp:
        values = {**self._header_columns(evaluation), "etag": new_etag()}
        del values["id"]
        where = (EvaluationRow.id == evaluation.id,)
        saved = self._update(EvaluationRow, where, expected_version, values, actor, "评价记录")
        self.refresh_totals(evaluation.id)  # the system, bands or 不适用 policy may have changed
        return saved

    def save_score(
        self,
        evaluation_id: str,
        code: str,
        score: IndicatorScore | None,
        expected_version: int,
        actor: Actor,
    ) -> Stamp | None:
        what = f"指标 {code} 的评分"
        where = (ScoreRow.evaluation_id == evaluation_id, ScoreRow.code == code)
        self._dirty.add(evaluation_id)
        if score is None:
            self._delete(ScoreRow, where, expected_version, what)
            self._touch(evaluation_id)
            return None
        if expected_version == 0:
            row = ScoreRow(evaluation_id=evaluation_id, code=code, doc=to_doc(score))
            saved = self._insert(row, actor, what)
        else:
            keys = {"w_evaluation": evaluation_id, "w_code": code, "v_doc": to_doc(score)}
            if evaluation_id in self._tags and self.session.get_bind().dialect.name == "postgresql":
                return self._score_and_touch(evaluation_id, keys, expected_version, actor, what)
            saved = self._update_prepared(prepared.SCORE_UPDATE, keys, expected_version, actor, what)
        self._touch(evaluation_id)
        return saved

    def _score_and_touch(
        self, evaluation_id: str, keys: dict[str, Any], expected_version: int, actor: Actor, what: str
    ) -> Stamp:
        """PostgreSQL: the score and the renewed tag (with the kept totals) in one statement —
        one round trip less for every save — with the outcome of ``_update`` then ``_touch``."""
        new, seen = new_etag(), self._tags.pop(evaluation_id)
        kept = self._kept.pop(evaluation_id, None)
        statement = prepared.SCORE_AND_TOUCH if kept is None else prepared.SCORE_AND_TOUCH_TOTALS
        slots, saved = version_slots(expected_version, actor)
        values = {**keys, **slots, **prepared.touch_values(evaluation_id, new, seen, kept)}
        scored, touched = self.session.execute(statement, values).one()
        if scored != 1:
            raise stale(what)
        if touched == 1:
            self._tags[evaluation_id] = new
            self._unbroken.add(evaluation_id)
            if kept is not None:
                self._dirty.discard(evaluation_id)  # written: nothing left for ``write_totals``
        else:  # someone else wrote in between: a new tag all the same, the totals left to commit
            self._unbroken.discard(evaluation_id)
            self.session.execute(prepared.TOUCH, {"w_id": evaluation_id, "v_etag": new})
        return saved

    def save_item(
        self, evaluation_id: str, kind: ItemKind, item: Item, expected_version: int, actor: Actor
    ) -> Stamp:
        row_type = ITEM_ROWS[kind]
        what = f"{ITEM_LABELS[kind]}“{item.id}”"
        doc = to_doc(item, {"id"})
        if expected_version == 0:
            last = self.session.scalar(
                sa.select(sa.func.max(row_type.position)).where(row_type.evaluation_id == evaluation_id)
            )
            position = 0 if last is None else last + 1
            row = row_type(evaluation_id=evaluation_id, id=item.id, position=position, doc=doc)
            saved = self._insert(row, actor, what)
        else:
            where = (row_type.evaluation_id == evaluation_id, row_type.id == item.id)
            saved = self._update(row_type, where, expected_version, {"doc": doc}, actor, what)
        self._touch(evaluation_id)
        return saved

    def delete(self, evaluation_id: str, expected_version: int) -> None:
        # Its parts go with it: every table keyed by the evaluation has ON DELETE CASCADE.
        self._delete(EvaluationRow, (EvaluationRow.id == evaluation_id,), expected_version, "评价记录")
        self._tags.pop(evaluation_id, None)
        self._dirty.discard(evaluation_id)

    def delete_item(
        self, evaluation_id: str, kind: ItemKind, item_id: str, expected_version: int, actor: Actor
    ) -> None:
        row_type = ITEM_ROWS[kind]
        where = (row_type.evaluation_id == evaluation_id, row_type.id == item_id)
        self._delete(row_type, where, expected_version, f"{ITEM_LABELS[kind]}“{item_id}”")
        self._touch(evaluation_id)

    def reorder(self, evaluation_id: str, kind: ItemKind, ids: Sequence[str], actor: Actor) -> None:
        # Position is not content: moving an item does not change its version, so nobody's
        # edit of its text conflicts with someone else's reordering.
        row_type = ITEM_ROWS[kind]
        for position, item_id in enumerate(ids):
            self.session.execute(
                sa.update(row_type)
                .where(row_type.evaluation_id == evaluation_id, row_type.id == item_id)
                .values(position=position),
                execution_options={"synchronize_session": False},
            )
        self._touch(evaluation_id)
