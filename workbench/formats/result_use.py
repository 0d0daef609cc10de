"""The 结果应用 rules, read from indicators/result-use.yaml (bounded by ``read_yaml``) and held
against the grade names of indicators/grade-bands.yaml: a grade without advice is refused here,
with the file and line, rather than when someone opens the page."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.result_use import CarriedResultUse, ResultUseRules
from workbench.errors import InvalidInput
from workbench.formats.cases import BANDS_FILE, indicators_dir, load_band_sets
from workbench.formats.yamlio import build, read_optional, read_yaml, write_model

RULES_FILE = "result-use.yaml"
RECORD_FILE = "result-use-record.yaml"  # in a case folder: the override and the O&M scores


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


def load_result_record(folder: Path) -> CarriedResultUse | None:
    """The 结果应用 record in a case folder (None when it has no ``result-use-record.yaml``)."""
    return read_optional(CarriedResultUse, Path(folder) / RECORD_FILE)


def write_result_record(record: CarriedResultUse, folder: Path) -> Path:
    header = "结果应用：调整后的预算建议（含理由）与各年度运维考评得分"
    return write_model(record, Path(folder) / RECORD_FILE, header)
