"""Where each person left off: the evaluation they worked on last, reopened at their next
sign-in (the picker only offers it again when they may still see it)."""

from __future__ import annotations

from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork


def last_evaluation(uow: UnitOfWork, actor: Actor) -> str | None:
    """The id of the evaluation ``actor`` selected last (None when never recorded)."""
    with uow:
        return uow.users.last_evaluation(actor.username)


def remember_evaluation(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> None:
    """Record ``evaluation_id`` as the one ``actor`` works on (not audited: a view, not a change)."""
    with uow:
        if uow.users.get(actor.username) is None:
            return  # the system actor and removed accounts have no preferences
        uow.users.remember_evaluation(actor.username, evaluation_id)
        uow.commit()
