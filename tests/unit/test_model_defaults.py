"""Empty lists and mappings as field defaults: written ``Field(default=[])``, not
``Field(default_factory=list)``.  pydantic deep-copies a mutable default for every instance, so
both give each instance its own list; but for a factory pydantic reads the factory's signature,
and ``inspect.signature(list)`` parses the builtin's text signature with the tokenize module
(about 15 ms of every ``workbench report``, most of it compiling tokenize's patterns)."""

import importlib
import pkgutil

from pydantic import BaseModel

import workbench.domain
from workbench.domain.ledger import Ledger

BUILTIN_FACTORIES = (list, dict, set, tuple, frozenset)


def models():
    for info in pkgutil.iter_modules(workbench.domain.__path__):
        importlib.import_module(f"workbench.domain.{info.name}")
    seen, todo = set(), [BaseModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [m for m in seen if m.__module__.startswith("workbench.")]


def test_no_domain_model_field_takes_a_builtin_type_as_its_default_factory():
    found = [
        f"{m.__module__}.{m.__qualname__}.{name}"
        for m in models()
        for name, field in m.model_fields.items()
        if field.default_factory in BUILTIN_FACTORIES
    ]

    assert models() and found == []


def test_an_empty_list_default_is_each_instances_own_whether_validated_or_constructed():
    first, second = Ledger(total_investment=100), Ledger(total_investment=100)
    first.spend_lines.append(None)  # type: ignore[arg-type]
    built, other = Ledger.model_construct(), Ledger.model_construct()
    built.years.append(None)  # type: ignore[arg-type]

    assert second.spend_lines == [] and other.years == [] and Ledger.model_fields["plan"].default == []
