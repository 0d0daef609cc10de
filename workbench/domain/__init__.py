"""Pure domain: indicator systems, scoring rules, scorecards, grades, ledgers, evaluations.

Imports only the standard library, ``decimal`` and pydantic (and ``workbench.errors``).
"""
