"""Load the default role table shipped with the package."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.permissions import RoleTable
from workbench.formats.yamlio import build, read_yaml

DEFAULT_ROLES = Path(__file__).with_name("default_roles.yaml")


def default_role_table() -> RoleTable:
    return build(RoleTable, read_yaml(DEFAULT_ROLES))
