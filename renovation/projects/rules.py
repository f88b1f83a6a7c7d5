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

From aftercare the project is closed (结项, ``Project.closed_at``): see :func:`check_close`.
"""

import enum
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from renovation.core.i18n import format_date, percent


class Stage(enum.Enum):
    """The five stages of a compound's renovation project, in order."""

    WISH_SOLICITATION = "wish_solicitation"  # 意愿征集
    CONSULTATION = "consultation"            # 内容协商
    PLANNING = "planning"                    # 方案制订
    CONSTRUCTION = "construction"            # 过程监督
    AFTERCARE = "aftercare"                  # 改造后管理

    @property
    def label(self) -> str:
        """The stage's name in the reader's language (Chinese by default; Chinese under
        core.i18n.chinese()), as a plain string. For choices built at import time use the lazy
        ``STAGE_LABELS[stage]``."""
        return str(STAGE_LABELS[self])

    @property
    def index(self) -> int:
        """0-based position in the lifecycle."""
        return STAGE_ORDER.index(self)


STAGE_ORDER = [Stage.WISH_SOLICITATION, Stage.CONSULTATION, Stage.PLANNING, Stage.CONSTRUCTION, Stage.AFTERCARE]
#: Stage names, lazy (evaluated in the reader's language where they are shown).
STAGE_LABELS = {
    Stage.WISH_SOLICITATION: _l("意愿征集"),
    Stage.CONSULTATION: _l("内容协商"),
    Stage.PLANNING: _l("方案制订"),
    Stage.CONSTRUCTION: _l("过程监督"),
    Stage.AFTERCARE: _l("改造后管理"),
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
    """Whether a move is allowed; ``reasons`` (in the reader's language) say why not, empty when allowed."""

    allowed: bool
    reasons: list[str] = field(default_factory=list)


def next_stage(stage: Stage) -> Stage | None:
    """The stage after ``stage``, or None after aftercare."""
    i = STAGE_ORDER.index(stage)
    return STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else None


def _pct(value: Fraction) -> str:
    return percent(value, 1)


def check_plan_approval(facts: GateFacts, today: date) -> GateResult:
    """May the plan be approved today? Only after the notice period ends and every objection is answered.

    ``plan_notice_ends`` is the last day of notice: approval is possible from the next day on.
    """
    reasons = []
    if facts.plan_notice_ends is None:
        reasons.append(_("方案尚未公示，公示期满后才能批准。"))
    elif today <= facts.plan_notice_ends:
        reasons.append(_("方案公示期到 %(date)s 结束，期满后才能批准。", date=format_date(facts.plan_notice_ends)))
    if facts.open_objections:
        reasons.append(_("还有 %(n)d 条异议未答复。", n=facts.open_objections))
    return GateResult(not reasons, reasons)


def check_transition(current: Stage, target: Stage, facts: GateFacts, settings: GateSettings,
                     today: date) -> GateResult:
    """Check the move ``current`` -> ``target`` against the gates; returns a GateResult, never raises.

    Only a move to the next stage is allowed (no skipping, no going back).
    """
    if target != next_stage(current):
        if target == current:
            return GateResult(False, [_("项目已处于“%(stage)s”阶段。", stage=current.label)])
        return GateResult(False, [_("不能从“%(current)s”直接转到“%(target)s”，只能进入下一阶段。",
                                    current=current.label, target=target.label)])

    reasons: list[str] = []
    if current is Stage.WISH_SOLICITATION:
        need = settings.wish_consent_rate
        if facts.households == 0:
            reasons.append(_("户籍名册为空，无法计算同意率。"))
        else:
            rate = Fraction(facts.consenting, facts.households)
            if rate < need:
                reasons.append(_(
                    "同意改造的户数为 %(consenting)d/%(households)d（%(rate)s），未达到 %(need)s 的要求。",
                    consenting=facts.consenting, households=facts.households, rate=_pct(rate), need=_pct(need)))
    elif current is Stage.CONSULTATION:
        if facts.adopted_items == 0:
            reasons.append(_("还没有表决通过的改造项目：需至少一次已结束的表决通过至少一项内容。"))
    elif current is Stage.PLANNING:
        if not facts.plan_approved:
            reasons.append(_("改造方案尚未批准（需公示期满且异议全部答复后批准）。"))
    elif current is Stage.CONSTRUCTION:
        if not facts.acceptance_passed:
            reasons.append(_("尚未通过竣工验收。"))
    return GateResult(not reasons, reasons)


@dataclass(frozen=True)
class CloseFacts:
    """Plain facts about a project that the close (结项) check looks at.

    stage: the current stage; already_closed: ``closed_at`` is set; acceptance_passed: a completion
    acceptance (竣工验收) passed; handovers_planned: Handover lines not yet handed over (待移交);
    open_problems: problem reports not verified (已核验); survey_exists / survey_closed: the satisfaction
    survey (满意度测评) exists / has ended; survey_gate_passed: None when the survey is only a report figure
    (or missing), else whether it met its thresholds (aftercare.services.closure_check);
    survey_gate_reasons: why not, in the reader's language.
    """

    stage: Stage
    already_closed: bool = False
    acceptance_passed: bool = False
    handovers_planned: int = 0
    open_problems: int = 0
    survey_exists: bool = False
    survey_closed: bool = False
    survey_gate_passed: bool | None = None
    survey_gate_reasons: tuple[str, ...] = ()


def check_close(facts: CloseFacts) -> GateResult:
    """May the project be closed (结项)? Returns a GateResult, never raises.

    The rule (local practice, not national law; domain.md stage 5, 改造后管理): a project closes from
    aftercare once the works are settled and residents have judged them:

    - it is in the aftercare stage (改造后管理) and not closed already (these two alone are reported
      when they fail: the other conditions mean nothing before aftercare or after closing);
    - completion acceptance (竣工验收) passed;
    - every asset handover line is signed (已移交); a project with no handover lines at all may close,
      since some projects hand nothing over to utilities or operators;
    - no problem report is still open (every one verified, 已核验);
    - the satisfaction survey (满意度测评) exists and has ended: mature practice evaluates satisfaction
      before closing; when the survey is set as a closing gate (作为结项条件) it must also meet its
      thresholds (mean score, response rate: settings of the survey).
    """
    if facts.already_closed:
        return GateResult(False, [_("项目已经结项。")])
    if facts.stage is not Stage.AFTERCARE:
        return GateResult(False, [_("项目处于“%(stage)s”阶段，进入“%(aftercare)s”阶段后才能结项。",
                                    stage=facts.stage.label, aftercare=Stage.AFTERCARE.label)])
    reasons: list[str] = []
    if not facts.acceptance_passed:
        reasons.append(_("尚未通过竣工验收。"))
    if facts.handovers_planned:
        reasons.append(_("还有 %(n)d 项资产尚未完成移交签字。", n=facts.handovers_planned))
    if facts.open_problems:
        reasons.append(_("还有 %(n)d 个问题尚未整改核验。", n=facts.open_problems))
    if not facts.survey_exists:
        reasons.append(_("尚未开展满意度测评：结项前须完成居民满意度测评。"))
    elif not facts.survey_closed:
        reasons.append(_("满意度测评尚未结束。"))
    if facts.survey_gate_passed is False:
        reasons.append(_("满意度测评未达到结项要求：%(reasons)s",
                         reasons=" ".join(facts.survey_gate_reasons)))
    return GateResult(not reasons, reasons)


# --- project progress roll-up ---------------------------------------------------------------------

def rollup_progress(items: list[tuple[object, int]]) -> float | None:
    """Project progress in % (0-100) from ``items`` = [(budget in yuan or None, percent 0..100), ...] of
    the adopted items: percentages weighted by budget; equal weights when no item has a positive budget;
    an item without a budget weighs 0 when others have one. None when there are no items.

    E.g. [(300000, 40), (100000, 100)] -> (300000*40 + 100000*100) / 400000 = 55.0.
    """
    if not items:
        return None
    weights = [max(float(budget or 0), 0.0) for budget, _ in items]
    if sum(weights) <= 0:
        weights = [1.0] * len(items)
    return sum(w * pct for w, (_, pct) in zip(weights, items, strict=True)) / sum(weights)
