"""The stage machine of a project, as pure rules: no app, no database.

A project moves forward one stage at a time; each move has a gate (domain.md, 'The lifecycle'):

=====================  =====================  =============================================================
from                   to                     gate
=====================  =====================  =============================================================
wish_solicitation      consultation           households consenting / all households >= consent setting
                                              (local practice, default 2/3; some cities 4/5)
consultation           planning               at least one closed ballot adopted at least one item
                                              (民法典 art. 278 tally, see renovation.voting.rules)
planning               construction           plan approved, which needs its public notice period
                                              (方案公示, default 7 days) ended and every objection answered
construction           aftercare              completion acceptance (竣工验收) recorded as passed
=====================  =====================  =============================================================
"""

import enum
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction


class Stage(enum.Enum):
    """The five stages of a compound's renovation project, in order."""

    WISH_SOLICITATION = "wish_solicitation"  # 意愿征集
    CONSULTATION = "consultation"            # 内容协商
    PLANNING = "planning"                    # 方案制订
    CONSTRUCTION = "construction"            # 过程监督
    AFTERCARE = "aftercare"                  # 改造后管理

    @property
    def label(self) -> str:
        """The stage's Chinese name."""
        return STAGE_LABELS[self]

    @property
    def index(self) -> int:
        """0-based position in the lifecycle."""
        return STAGE_ORDER.index(self)


STAGE_ORDER = [Stage.WISH_SOLICITATION, Stage.CONSULTATION, Stage.PLANNING, Stage.CONSTRUCTION, Stage.AFTERCARE]
STAGE_LABELS = {
    Stage.WISH_SOLICITATION: "意愿征集",
    Stage.CONSULTATION: "内容协商",
    Stage.PLANNING: "方案制订",
    Stage.CONSTRUCTION: "过程监督",
    Stage.AFTERCARE: "改造后管理",
}

#: Default share of consenting households for leaving wish solicitation (local practice; a setting).
DEFAULT_WISH_CONSENT_RATE = Fraction(2, 3)


@dataclass(frozen=True)
class GateFacts:
    """Plain facts about a project that the gates look at.

    households: households on the register (active); consenting: households that answered "agree"
    in the wish survey; adopted_items: items adopted by a closed ballot; plan_approved: the plan is
    approved; plan_notice_ends: last day of the plan's public notice (None if not posted);
    open_objections: objections not yet answered; acceptance_passed: completion acceptance passed.
    """

    households: int = 0
    consenting: int = 0
    adopted_items: int = 0
    plan_approved: bool = False
    plan_notice_ends: date | None = None
    open_objections: int = 0
    acceptance_passed: bool = False


@dataclass(frozen=True)
class GateSettings:
    """City settings for the gates. wish_consent_rate: a fraction of households (e.g. 2/3)."""

    wish_consent_rate: Fraction = DEFAULT_WISH_CONSENT_RATE


@dataclass(frozen=True)
class GateResult:
    """Whether a move is allowed; ``reasons`` (Chinese) say why not, empty when allowed."""

    allowed: bool
    reasons: list[str] = field(default_factory=list)


def next_stage(stage: Stage) -> Stage | None:
    """The stage after ``stage``, or None after aftercare."""
    i = STAGE_ORDER.index(stage)
    return STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else None


def _pct(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%"


def check_plan_approval(facts: GateFacts, today: date) -> GateResult:
    """May the plan be approved today? Only after the notice period ends and every objection is answered.

    ``plan_notice_ends`` is the last day of notice: approval is possible from the next day on.
    """
    reasons = []
    if facts.plan_notice_ends is None:
        reasons.append("方案尚未公示，公示期满后才能批准。")
    elif today <= facts.plan_notice_ends:
        reasons.append(f"方案公示期到 {facts.plan_notice_ends:%Y-%m-%d} 结束，期满后才能批准。")
    if facts.open_objections:
        reasons.append(f"还有 {facts.open_objections} 条异议未答复。")
    return GateResult(not reasons, reasons)


def check_transition(current: Stage, target: Stage, facts: GateFacts, settings: GateSettings,
                     today: date) -> GateResult:
    """Check the move ``current`` -> ``target`` against the gates; returns a GateResult, never raises.

    Only a move to the next stage is allowed (no skipping, no going back).
    """
    if target != next_stage(current):
        if target == current:
            return GateResult(False, [f"项目已处于“{current.label}”阶段。"])
        return GateResult(False, [f"不能从“{current.label}”直接转到“{target.label}”，只能进入下一阶段。"])

    reasons: list[str] = []
    if current is Stage.WISH_SOLICITATION:
        need = settings.wish_consent_rate
        if facts.households == 0:
            reasons.append("户籍名册为空，无法计算同意率。")
        else:
            rate = Fraction(facts.consenting, facts.households)
            if rate < need:
                reasons.append(
                    f"同意改造的户数为 {facts.consenting}/{facts.households}（{_pct(rate)}），"
                    f"未达到 {_pct(need)} 的要求。"
                )
    elif current is Stage.CONSULTATION:
        if facts.adopted_items == 0:
            reasons.append("还没有表决通过的改造项目：需至少一次已结束的表决通过至少一项内容。")
    elif current is Stage.PLANNING:
        if not facts.plan_approved:
            reasons.append("改造方案尚未批准（需公示期满且异议全部答复后批准）。")
    elif current is Stage.CONSTRUCTION:
        if not facts.acceptance_passed:
            reasons.append("尚未通过竣工验收。")
    return GateResult(not reasons, reasons)
