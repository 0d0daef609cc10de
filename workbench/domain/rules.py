"""Scoring-rule kinds, registered in one table that the built-ins use too.

A rule kind is one class: its fields are the parameters written in the indicator system (under
``rule:``), its ``Inputs`` model is what an evaluator supplies for one evaluation, and ``score``
turns a weight and the inputs into an ``Outcome``.  Adding a kind is one class plus ``@register``.

All rates and shares written in data files are percentages (95 means 95 %).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field, SerializerFunctionWrapHandler, ValidationError, model_serializer, model_validator

from workbench.domain.base import HUNDRED, StrictModel, fmt2, q2
from workbench.domain.limits import MAX_REASON
from workbench.domain.messages import first_error
from workbench.errors import InvalidInput, Problem


class Deduction(StrictModel):
    """One deduction: why points were lost, how many, and the evidence behind it."""

    reason: str = Field(min_length=1, max_length=MAX_REASON)
    points: Decimal | None = Field(default=None, ge=0)
    evidence: str = ""
    source: str = ""  # where the fact comes from (e.g. a sentence of the report or a document)
    items: int | None = Field(default=None, ge=1)  # how many of the criterion's 每…扣 X 分 units it counts


class Outcome(StrictModel):
    """What a rule gives for one leaf indicator."""

    score: Decimal
    explanation: str = ""
    deductions: list[Deduction] = Field(default=[])


class RuleInputs(StrictModel):
    """Inputs common to every rule: free deductions are only read by the kinds that use them."""

    deductions: list[Deduction] = Field(default=[])


class Rule(StrictModel):
    """Base of every rule kind."""

    kind: str
    label: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    Inputs: ClassVar[type[RuleInputs]] = RuleInputs

    @model_serializer(mode="wrap")
    def _always_with_kind(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # ``kind`` is each class's default, so ``exclude_defaults`` would drop it and the dumped
        # rule could not be read back; it is what names the rule, so it is always written.
        return {"kind": self.kind, **handler(self)}

    def parse_inputs(self, raw: dict[str, Any], *, place: str = "") -> RuleInputs:
        try:
            return self.Inputs.model_validate(raw)
        except ValidationError as exc:
            raise InvalidInput([Problem(first_error(exc), place=place or None, field="评分输入")]) from exc

    def score(self, weight: Decimal, inputs: RuleInputs) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        """A one-line Chinese description of the rule with its parameters."""
        return self.label


RULE_KINDS: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Register a rule kind under the default value of its ``kind`` field."""
    kind = cls.model_fields["kind"].default
    if not isinstance(kind, str) or not kind:
        raise TypeError(f"{cls.__name__} needs a default 'kind'")
    RULE_KINDS[kind] = cls
    return cls


def known_kinds() -> str:
    return "、".join(f"{k}（{c.label}）" for k, c in RULE_KINDS.items())


def parse_rule(raw: Any) -> Rule:
    """Build a rule from its data-file form; unknown kinds name the known ones."""
    if isinstance(raw, Rule):
        return raw
    if not isinstance(raw, dict) or "kind" not in raw:
        raise ValueError(f"评分规则必须写明 kind（规则类型），可选：{known_kinds()}")
    cls = RULE_KINDS.get(raw["kind"])
    if cls is None:
        raise ValueError(f"未知的规则类型 “{raw['kind']}”，可选：{known_kinds()}")
    try:
        return cls.model_validate(raw)
    except ValidationError as exc:
        raise ValueError(f"评分规则（{cls.label}）{first_error(exc)}") from exc


def _share(weight: Decimal, share: Decimal) -> Decimal:
    return q2(weight * share)


def attach_reasons(lost: Decimal, given: list[Deduction], default_reason: str) -> list[Deduction]:
    """Explain points a formula took away.

    The evaluator's own reasons win: one reason without points takes all the lost points; several
    must carry points that add up to what was lost.  With no reason given, the formula's own
    wording is used.
    """
    if lost <= 0:
        return [d if d.points is not None else d.model_copy(update={"points": Decimal(0)}) for d in given]
    if not given:
        return [Deduction(reason=default_reason, points=lost)]
    if len(given) == 1 and given[0].points is None:
        return [given[0].model_copy(update={"points": lost})]
    total = sum((d.points or Decimal(0) for d in given), Decimal(0))
    if any(d.points is None for d in given) or q2(total) != lost:
        raise InvalidInput(f"扣分理由所列分值合计 {fmt2(total)} 与按规则扣减的 {fmt2(lost)} 分不一致")
    return list(given)


# --- the built-in kinds -------------------------------------------------------------------


class ManualInputs(RuleInputs):
    @model_validator(mode="after")
    def _points_given(self) -> ManualInputs:
        for d in self.deductions:
            if d.points is None:
                raise ValueError(f"扣分“{d.reason}”未填写扣分分值")
        return self


@register
class ManualRule(Rule):
    """人工评分（扣分制）: the score is the weight less the deductions the evaluator records."""

    kind: str = "manual"
    label: ClassVar[str] = "人工评分（扣分制）"
    Inputs: ClassVar[type[RuleInputs]] = ManualInputs

    def score(self, weight: Decimal, inputs: RuleInputs) -> Outcome:
        lost = sum((d.points or Decimal(0) for d in inputs.deductions), Decimal(0))
        if lost > weight:
            raise InvalidInput(f"扣分合计 {fmt2(lost)} 分超过该指标分值 {fmt2(weight)} 分")
        if not inputs.deductions:
            return Outcome(score=q2(weight), explanation="未发现扣分事项，得满分")
        return Outcome(
            score=q2(weight - lost),
            explanation=f"共扣 {fmt2(lost)} 分",
            deductions=list(inputs.deductions),
        )


@register
class PerItemRule(Rule):
    """每发现一处问题扣 X 分，扣完为止."""

    kind: str = "per_item"
    label: ClassVar[str] = "每处扣分，扣完为止"
    points_per_item: Decimal = Field(gt=0)

    def describe(self) -> str:
        return f"每发现一处问题扣 {fmt2(self.points_per_item)} 分，扣完为止"

    def score(self, weight: Decimal, inputs: RuleInputs) -> Outcome:
        n = len(inputs.deductions)
        lost = min(weight, self.points_per_item * n)
        items = [d.model_copy(update={"points": self.points_per_item}) for d in inputs.deductions]
        if n == 0:
            return Outcome(score=q2(weight), explanation="未发现问题，得满分")
        return Outcome(
            score=q2(weight - lost),
            explanation=f"发现 {n} 处问题，每处扣 {fmt2(self.points_per_item)} 分，共扣 {fmt2(lost)} 分",
            deductions=items,
        )


class MeasuredInputs(RuleInputs):
    actual: Decimal = Field(ge=0)
    target: Decimal | None = Field(default=None, gt=0)


class _TargetRule(Rule):
    target: Decimal | None = Field(default=None, gt=0)
    unit: str = ""
    Inputs: ClassVar[type[RuleInputs]] = MeasuredInputs

    def _target(self, inputs: MeasuredInputs) -> Decimal:
        target = inputs.target if inputs.target is not None else self.target
        if target is None:
            raise InvalidInput("未设定目标值（target），无法按比例计分")
        return target


@register
class RatioRule(_TargetRule):
    """正向指标: actual ≥ target gives full marks, otherwise actual / target × 分值."""

    kind: str = "ratio"
    label: ClassVar[str] = "正向指标（实际值/目标值×分值）"

    def score(self, weight: Decimal, inputs: RuleInputs) -> Outcome:
        assert isinstance(inputs, MeasuredInputs)
        target = self._target(inputs)
        u = self.unit
        if inputs.actual >= target:
            note = f"实际 {fmt2(inputs.actual)}{u} ≥ 目标 {fmt2(target)}{u}，得满分"
            return Outcome(score=q2(weight), explanation=note)
        got = q2(inputs.actual / target * weight)
        note = f"实际 {fmt2(inputs.actual)}{u} / 目标 {fmt2(target)}{u} × {fmt2(weight)}"
        why = attach_reasons(q2(weight - got), inputs.deductions, f"未达目标：{note}")
        return Outcome(score=got, explanation=note, deductions=why)


@register
class ReverseRatioRule(_TargetRule):
    """反向指标 (e.g. cost): full up to target, linear to 0 at 2 × target."""

    kind: str = "reverse_ratio"
    label: ClassVar[str] = "反向指标（超目标线性扣减，达 2 倍目标得 0 分）"

    def score(self, weight: Decimal, inputs: RuleInputs) -> Outcome:
        assert isinstance(inputs, MeasuredInputs)
        target = self._target(inputs)
        u = self.unit
        if inputs.actual <= target:
            note = f"实际 {fmt2(inputs.actual)}{u} ≤ 目标 {fmt2(target)}{u}，得满分"
            return Outcome(score=q2(weight), explanation=note)
        if inputs.actual >= 2 * target:
            got = Decimal("0.00")
            note = f"实际 {fmt2(inputs.actual)}{u} 达到目标 {fmt2(target)}{u} 的 2 倍及以上，得 0 分"
        else:
            got = q2((1 - (inputs.actual - target) / target) * weight)
            note = (
                f"（1 −（实际 {fmt2(inputs.actual)} − 目标 {fmt2(target)}）/ 目标 {fmt2(target)}）"
                f"× {fmt2(weight)}"
            )
        why = attach_reasons(q2(weight - got), inputs.deductions, f"超出目标：{note}")
        return Outcome(score=got, explanation=note, deductions=why)


class RateInputs(RuleInputs):
    """A rate given directly (percent) or as numerator / denominator."""

    numerator: Decimal | None = Field(default=None, ge=0)
    denominator: Decimal | None = Field(default=None, gt=0)
    value: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_way(self) -> RateInputs:
        pair = self.numerator is not None and self.denominator is not None
        if pair == (self.value is not None):
            raise ValueError("请填写 value（百分比），或同时填写 numerator 与 denominator，二者选一")
        return self

    def percent(self) -> Decimal:
        if self.value is not None:
            return self.value
        assert self.numerator is not None and self.denominator is not None
        return self.numerator / self.denominator * HUNDRED


@register
class RateRule(Rule):
    """比率 × 分值 (到位率, 执行率): min(rate, cap) × 分值."""

    kind: str = "rate"
    label: ClassVar[str] = "比率×分值（如到位率、执行率）"
    numerator_label: str = "实际数"
    denominator_label: str = "计划数"
    cap: Decimal = Field(default=HUNDRED, gt=0, le=HUNDRED)
    Inputs: ClassVar[type[RuleInputs]] = RateInputs

    def describe(self) -> str:
        return f"{self.numerator_label}/{self.denominator_label}×分值（上限 {fmt2(self.cap)}%）"

    def score(self, weight: Decimal, inputs: RuleInputs) -> Outcome:
        assert isinstance(inputs, RateInputs)
        rate = inputs.percent()
        used = min(rate, self.cap)
        got = q2(used / HUNDRED * weight)
        note = f"比率 {q2(rate)}%"
        if rate > self.cap:
            note += f"，按上限 {fmt2(self.cap)}% 计"
        note += f"，得分 {fmt2(got)}"
        why = attach_reasons(q2(weight - got), inputs.deductions, f"比率 {q2(rate)}% 未达 100%")
        return Outcome(score=got, explanation=note, deductions=why)


class Step(StrictModel):
    min: Decimal = Field(ge=0)
    share: Decimal = Field(ge=0, le=100)


@register
class BandsRule(Rule):
    """分档计分: the first step whose lower bound the value reaches gives its share of 分值."""

    kind: str = "bands"
    label: ClassVar[str] = "分档计分"
    value_label: str = "比率"
    steps: list[Step] = Field(min_length=1)
    Inputs: ClassVar[type[RuleInputs]] = RateInputs

    @model_validator(mode="after")
    def _descending(self) -> BandsRule:
        mins = [s.min for s in self.steps]
        if mins != sorted(mins, reverse=True):
            raise ValueError("分档下限须从高到低排列")
        return self

    def describe(self) -> str:
        steps = "；".join(f"≥{fmt2(s.min)}% 得 {fmt2(s.share)}%" for s in self.steps)
        return f"{self.value_label}分档：{steps}；其余得 0"

    def score(self, weight: Decimal, inputs: RuleInputs) -> Outcome:
        assert isinstance(inputs, RateInputs)
        value = inputs.percent()
        share = next((s.share for s in self.steps if value >= s.min), Decimal(0))
        got = _share(weight, share / HUNDRED)
        note = f"{self.value_label} {q2(value)}%，对应档位得分比例 {fmt2(share)}%"
        why = attach_reasons(
            q2(weight - got), inputs.deductions, f"{self.value_label} {q2(value)}% 未达满分档"
        )
        return Outcome(score=got, explanation=note, deductions=why)


class Tier(StrictModel):
    label: str = Field(min_length=1)
    min: Decimal = Field(ge=0, le=100)
    max: Decimal = Field(ge=0, le=100)
    default: Decimal = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _inside(self) -> Tier:
        if not self.min <= self.default <= self.max:
            raise ValueError(f"档位“{self.label}”的默认得分比例须在 {self.min}%–{self.max}% 之间")
        return self


DEFAULT_TIERS = [
    Tier(label="达成", min=Decimal(80), max=Decimal(100), default=Decimal(100)),
    Tier(label="部分达成", min=Decimal(60), max=Decimal(80), default=Decimal(70)),
    Tier(label="未达成", min=Decimal(0), max=Decimal(60), default=Decimal(30)),
]


class TierInputs(RuleInputs):
    tier: str = Field(min_length=1)
    score: Decimal | None = Field(default=None, ge=0)


@register
class TiersRule(Rule):
    """定性分档: 达成 80–100 %, 部分达成 60–80 %, 未达成 0–60 % of 分值 (bounds are data)."""

    kind: str = "tiers"
    label: ClassVar[str] = "定性分档（达成/部分达成/未达成）"
    tiers: list[Tier] = Field(default_factory=lambda: [t.model_copy() for t in DEFAULT_TIERS])
    Inputs: ClassVar[type[RuleInputs]] = TierInputs

    def describe(self) -> str:
        return "；".join(f"{t.label} {fmt2(t.min)}%–{fmt2(t.max)}%" for t in self.tiers)

    def score(self, weight: Decimal, inputs: RuleInputs) -> Outcome:
        assert isinstance(inputs, TierInputs)
        tier = next((t for t in self.tiers if t.label == inputs.tier), None)
        if tier is None:
            names = "、".join(t.label for t in self.tiers)
            raise InvalidInput(f"档位“{inputs.tier}”不存在，可选：{names}")
        low, high = _share(weight, tier.min / HUNDRED), _share(weight, tier.max / HUNDRED)
        if inputs.score is None:
            got = _share(weight, tier.default / HUNDRED)
        else:
            got = q2(inputs.score)
            if not low <= got <= high:
                raise InvalidInput(
                    f"档位“{tier.label}”的得分应在 {fmt2(low)}–{fmt2(high)} 分之间，填写的是 {fmt2(got)} 分"
                )
        note = f"评定为“{tier.label}”（{fmt2(low)}–{fmt2(high)} 分），得 {fmt2(got)} 分"
        why = attach_reasons(q2(weight - got), inputs.deductions, f"评定为“{tier.label}”")
        return Outcome(score=got, explanation=note, deductions=why)
