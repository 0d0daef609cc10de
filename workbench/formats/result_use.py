"""The 结果应用 rules, read from indicators/result-use.yaml (bounded by ``read_yaml``) and held
against the grade names of indicators/grade-bands.yaml: a grade without advice is refused here,
with the file and line, rather than when someone opens the page."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.result_use import ResultUseRules
from workbench.errors import InvalidInput
from workbench.formats.cases import BANDS_FILE, indicators_dir, load_band_sets
from workbench.formats.yamlio import build, read_yaml

RULES_FILE = "result-use.yaml"


def load_result_use_rules(folder: Path | None = None) -> ResultUseRules:
    folder = folder or indicators_dir()
    located = read_yaml(folder / RULES_FILE)
    if not isinstance(located.data.get("rules"), dict):
        raise InvalidInput([located.problem("应包含 rules 一节", ("rules",), field="rules")])
    rules = build(ResultUseRules, located, located.data["rules"], ("rules",))
    if (folder / BANDS_FILE).is_file():
        labels = [b.label for s in load_band_sets(folder).values() for b in s.bands]
        missing = list(dict.fromkeys(rules.uncovered(labels)))
        if missing:
            where = ("rules", "rows")
            raise InvalidInput(
                [
                    located.problem(f"等级“{g}”（见 {BANDS_FILE}）没有对应的建议", where, field="grades")
                    for g in missing
                ]
            )
    return rules
