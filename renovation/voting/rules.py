"""Pure rules of voting (no app, no database): the 民法典 art. 278 tally, receipts, the hash chain.

A tally explains itself in Chinese (``ItemTally.reason``: audit log, PDF reports) and in the reader's
language (``ItemTally.explanation``, through Flask-Babel's gettext, which falls back to the Chinese source
outside a request).

Tamper evidence: each Vote record carries ``record_hash`` = SHA-256 over its content and the previous
record's hash in the same ballot (``prev_hash``; '' for the first), so that changing or deleting any
stored vote breaks every later link.
"""

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext


def N_(message: str) -> str:
    """Mark ``message`` for the English catalogue without translating it: the value stays Chinese (stored
    on ballots, printed in PDF reports); pages translate it where they show it (``gettext``)."""
    return message


def vote_record_hash(prev_hash: str | None, *, ballot_id: int, household_id: int, channel: str,
                     cast_at_iso: str, receipt_code: str, choices: dict[int, str]) -> str:
    """SHA-256 hex digest of one vote record chained to ``prev_hash``.

    ``choices`` maps ballot_item_id -> choice value ('agree'/'against'/'abstain'); ``cast_at_iso`` is
    the cast time in UTC as ISO 8601 with microseconds (see ``iso_utc``).
    """
    payload = json.dumps(
        {
            "prev": prev_hash or "",
            "ballot": ballot_id,
            "household": household_id,
            "channel": channel,
            "cast_at": cast_at_iso,
            "receipt": receipt_code,
            "choices": {str(k): v for k, v in sorted(choices.items())},
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- The tally under 民法典 art. 278 -------------------------------------------------------------

#: Source of the statutory thresholds below.
ART_278 = N_("民法典第二百七十八条")
#: Quorum: owners holding at least 2/3 of the total exclusive area AND at least 2/3 of all owners take
#: part (民法典 art. 278 para. 2). Inclusive: exactly 2/3 is enough.
QUORUM = Fraction(2, 3)
#: Approval of ordinary matters (using the maintenance fund included): MORE THAN half of the
#: participating area AND of the participating owners (art. 278 para. 2). Strict: exactly 1/2 fails.
ORDINARY_APPROVAL = Fraction(1, 2)
ORDINARY_APPROVAL_STRICT = True
#: Approval of raising the maintenance fund, rebuilding/reconstructing buildings and their facilities,
#: changing the use of common parts or running a business on them: AT LEAST 3/4 of the participating
#: area AND of the participating owners (art. 278 para. 2). Inclusive: exactly 3/4 passes.
SPECIAL_APPROVAL = Fraction(3, 4)
SPECIAL_APPROVAL_STRICT = False
#: Matter classes (MatterClass values) needing the special 3/4 approval.
SPECIAL_MATTERS = frozenset({"raise_fund", "rebuild", "change_use"})

AGREE, AGAINST, ABSTAIN = "agree", "against", "abstain"


@dataclass(frozen=True)
class Rule:
    """A ballot's rule: quorum share (of area and of owners), approval share (of participating area and
    owners), whether approval needs strictly more than that share, and where the rule comes from."""

    quorum: Fraction = QUORUM
    approval: Fraction = ORDINARY_APPROVAL
    approval_strict: bool = ORDINARY_APPROVAL_STRICT
    source: str = ART_278


def default_rule(matter_class: str) -> Rule:
    """The art. 278 rule for a matter class value ('ordinary', 'raise_fund', 'rebuild', 'change_use').

    Raises ValueError for an unknown value.
    """
    if matter_class == "ordinary":
        return Rule(QUORUM, ORDINARY_APPROVAL, ORDINARY_APPROVAL_STRICT, ART_278)
    if matter_class in SPECIAL_MATTERS:
        return Rule(QUORUM, SPECIAL_APPROVAL, SPECIAL_APPROVAL_STRICT, ART_278)
    raise ValueError(f"unknown matter class {matter_class!r}")


@dataclass(frozen=True)
class Dwelling:
    """One eligible dwelling (household): its id, its owner's id (None = not on the register, counts as
    its own owner) and its exclusive floor area in m² (property register)."""

    household_id: int
    owner_id: int | None
    area: Decimal


def owner_key(d: Dwelling) -> tuple[str, int]:
    """The headcount key of a dwelling: its owner (one buyer of several dwellings counts once; all of a
    developer's unsold dwellings share one Owner and count once), or the dwelling itself if no owner."""
    return ("owner", d.owner_id) if d.owner_id is not None else ("household", d.household_id)


@dataclass(frozen=True)
class ItemTally:
    """The tally of one ballot item.

    Areas in m² (Decimal), headcounts in owners (int), ratios as exact Fractions (None when dividing by
    zero): turnout ratios are over all eligible area/owners, agree ratios over the participating ones.
    ``passed`` gives the result; ``reason`` explains it in Chinese with the figures (what is stored in the
    audit log and printed in reports), ``explanation`` the same in the reader's language (pages).
    """

    eligible_area: Decimal
    eligible_owners: int
    turnout_area: Decimal
    turnout_owners: int
    agree_area: Decimal
    agree_owners: int
    against_area: Decimal
    abstain_area: Decimal
    households_voted: int
    quorum_met: bool
    approved: bool
    passed: bool
    rule: Rule

    @property
    def reason(self) -> str:
        """Why the item passed or failed, with the figures, in Chinese whatever the reader's language (the
        text stored in the audit log and printed in PDF reports)."""
        return _explain(self, _chinese)

    @property
    def explanation(self) -> str:
        """``reason`` in the reader's language (Flask-Babel; Chinese outside a request)."""
        return _explain(self, gettext)

    @property
    def turnout_area_ratio(self) -> Fraction | None:
        """Participating area / eligible area."""
        return _ratio(self.turnout_area, self.eligible_area)

    @property
    def turnout_owner_ratio(self) -> Fraction | None:
        """Participating owners / eligible owners."""
        return _ratio(self.turnout_owners, self.eligible_owners)

    @property
    def agree_area_ratio(self) -> Fraction | None:
        """Agreeing area / participating area."""
        return _ratio(self.agree_area, self.turnout_area)

    @property
    def agree_owner_ratio(self) -> Fraction | None:
        """Agreeing owners / participating owners."""
        return _ratio(self.agree_owners, self.turnout_owners)


def _ratio(num, den) -> Fraction | None:
    return Fraction(num) / Fraction(den) if den else None


_SHARE_NAMES = {Fraction(1, 2): N_("二分之一"), Fraction(2, 3): N_("三分之二"), Fraction(3, 4): N_("四分之三"),
                Fraction(4, 5): N_("五分之四")}


def share_label(share: Fraction) -> str:
    """'三分之二' for 2/3 (the words of the law, in Chinese whatever the reader's language: PDF reports use
    it); 'n/d' for other fractions."""
    return _SHARE_NAMES.get(share, f"{share.numerator}/{share.denominator}")


def share_words(share: Fraction) -> str:
    """``share_label`` in the reader's language ('two thirds'), for pages."""
    return gettext(_SHARE_NAMES[share]) if share in _SHARE_NAMES else share_label(share)


def _chinese(message: str, **variables) -> str:
    """gettext's signature, no translation: the Chinese source string, formatted."""
    return message % variables if variables else message


#: A stored rule source made of the article and a note the squad added after it (data, as typed).
_SOURCE_WITH_NOTE = N_("%(law)s（%(note)s）")


def source_words(source: str | None, tr=gettext) -> str:
    """A ballot's stored rule source (``Ballot.rule_source``) through the translation function ``tr``.

    The known article is translated and a note written after it stays data, in brackets:
    '民法典第二百七十八条（本单元业主表决，地方做法）' -> 'Civil Code, art. 278 (本单元业主表决，地方做法)'. In Chinese
    (or through ``_chinese``) the stored text comes back unchanged; '' for None or ''.
    """
    if not source:
        return ""
    if source == ART_278 or not source.startswith(ART_278):
        return tr(source)
    law = tr(ART_278)
    if law == ART_278:
        return source
    note = source[len(ART_278):].strip()
    if len(note) >= 2 and note[0] in "（(" and note[-1] in "）)":
        note = note[1:-1].strip()
    return tr(_SOURCE_WITH_NOTE, law=law, note=note) if note else law


#: The explanations of a tally (Chinese sources, figures as placeholders); see ItemTally.reason.
_NO_VOTERS = N_("没有享有表决权的住户，无法表决。")
_NO_QUORUM = N_("未通过：参与表决的专有部分面积占比%(t_area)s、人数占比%(t_owners)s，"
                "未达到“均不低于%(quorum)s”的参与要求（%(source)s）。")
_NOT_APPROVED_STRICT = N_("未通过：参与表决的专有部分面积占比%(t_area)s、人数占比%(t_owners)s，已达到参与要求；"
                          "但同意的面积占参与表决面积的%(a_area)s、同意人数占参与表决人数的%(a_owners)s，"
                          "未达到“均超过%(approval)s”的同意要求（%(source)s）。")
_NOT_APPROVED = N_("未通过：参与表决的专有部分面积占比%(t_area)s、人数占比%(t_owners)s，已达到参与要求；"
                   "但同意的面积占参与表决面积的%(a_area)s、同意人数占参与表决人数的%(a_owners)s，"
                   "未达到“均不低于%(approval)s”的同意要求（%(source)s）。")
_PASSED_STRICT = N_("通过：参与表决的专有部分面积占比%(t_area)s、人数占比%(t_owners)s，均不低于%(quorum)s；"
                    "同意的面积占参与表决面积的%(a_area)s、同意人数占参与表决人数的%(a_owners)s，"
                    "均超过%(approval)s（%(source)s）。")
_PASSED = N_("通过：参与表决的专有部分面积占比%(t_area)s、人数占比%(t_owners)s，均不低于%(quorum)s；"
             "同意的面积占参与表决面积的%(a_area)s、同意人数占参与表决人数的%(a_owners)s，"
             "均不低于%(approval)s（%(source)s）。")


def _explain(t: "ItemTally", tr) -> str:
    """The explanation of tally ``t`` through the translation function ``tr`` (gettext or _chinese)."""
    if not t.eligible_owners:
        return tr(_NO_VOTERS)
    rule = t.rule
    words = share_label if tr is _chinese else share_words
    figures = {"t_area": _pct(t.turnout_area_ratio), "t_owners": _pct(t.turnout_owner_ratio),
               "a_area": _pct(t.agree_area_ratio), "a_owners": _pct(t.agree_owner_ratio),
               "quorum": words(rule.quorum), "approval": words(rule.approval),
               "source": source_words(rule.source, tr)}
    if not t.quorum_met:
        return tr(_NO_QUORUM, **figures)
    if not t.approved:
        return tr(_NOT_APPROVED_STRICT if rule.approval_strict else _NOT_APPROVED, **figures)
    return tr(_PASSED_STRICT if rule.approval_strict else _PASSED, **figures)


def _pct(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def _meets(value: Fraction | None, share: Fraction, strict: bool) -> bool:
    if value is None:
        return False
    return value > share if strict else value >= share


def tally_item(dwellings: Iterable[Dwelling], choices: Mapping[int, str], rule: Rule) -> ItemTally:
    """Tally one item under ``rule`` (民法典 art. 278 by default).

    ``dwellings``: the eligible dwellings (the ballot's scope); ``choices``: household id -> 'agree' /
    'against' / 'abstain' of the current votes (households outside ``dwellings`` are ignored).
    Area is summed per dwelling. Headcount counts owners: an owner takes part if any of their dwellings
    voted, and counts as agreeing only if every one of their voting dwellings agreed (an owner split
    between choices is one voice that did not clearly agree). Abstentions take part but do not approve.
    Quorum: turnout area AND owners >= rule.quorum. Approval: agree area AND owners over the
    participating ones > rule.approval (strict) or >= it.
    """
    dwellings = list(dwellings)
    eligible_area = sum((Decimal(d.area) for d in dwellings), Decimal("0"))
    owners_all = {owner_key(d) for d in dwellings}
    turnout_area = agree_area = against_area = abstain_area = Decimal("0")
    owner_choices: dict[tuple[str, int], set[str]] = {}
    voted = 0
    for d in dwellings:
        choice = choices.get(d.household_id)
        if choice is None:
            continue
        if choice not in (AGREE, AGAINST, ABSTAIN):
            raise ValueError(f"unknown choice {choice!r}")
        voted += 1
        turnout_area += Decimal(d.area)
        if choice == AGREE:
            agree_area += Decimal(d.area)
        elif choice == AGAINST:
            against_area += Decimal(d.area)
        else:
            abstain_area += Decimal(d.area)
        owner_choices.setdefault(owner_key(d), set()).add(choice)
    turnout_owners = len(owner_choices)
    agree_owners = sum(1 for cs in owner_choices.values() if cs == {AGREE})

    t_area = _ratio(turnout_area, eligible_area)
    t_owners = _ratio(turnout_owners, len(owners_all))
    a_area = _ratio(agree_area, turnout_area)
    a_owners = _ratio(agree_owners, turnout_owners)
    quorum_met = _meets(t_area, rule.quorum, False) and _meets(t_owners, rule.quorum, False)
    approved = _meets(a_area, rule.approval, rule.approval_strict) and _meets(
        a_owners, rule.approval, rule.approval_strict)
    return ItemTally(
        eligible_area=eligible_area, eligible_owners=len(owners_all), turnout_area=turnout_area,
        turnout_owners=turnout_owners, agree_area=agree_area, agree_owners=agree_owners,
        against_area=against_area, abstain_area=abstain_area, households_voted=voted,
        quorum_met=quorum_met, approved=approved, passed=bool(dwellings) and quorum_met and approved,
        rule=rule,
    )


# --- Receipts and the hash chain ------------------------------------------------------------------


def iso_utc(moment: datetime) -> str:
    """'2025-05-01T02:03:04.000005+00:00': an aware datetime in UTC, ISO 8601 with microseconds, the form
    the hash covers (stable across SQLite and PostgreSQL round trips)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")

#: Receipt alphabet: digits and capitals without the look-alikes 0/O, 1/I/L (read aloud by the elderly).
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 8


def new_receipt_code(rng: secrets.SystemRandom | None = None) -> str:
    """A random 8-character receipt code from RECEIPT_ALPHABET (about 8.5e11 codes)."""
    rng = rng or secrets.SystemRandom()
    return "".join(rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


@dataclass(frozen=True)
class VoteRecord:
    """One stored Vote as plain values, for checking the chain: id, the stored prev_hash and record_hash,
    and the fields the hash covers."""

    id: int
    prev_hash: str | None
    record_hash: str | None
    ballot_id: int
    household_id: int
    channel: str
    cast_at_iso: str
    receipt_code: str
    choices: dict[int, str]


def first_broken_link(records: Sequence[VoteRecord]) -> int | None:
    """The id of the first record (in id order) whose link is broken, or None if the chain holds.

    A link is broken when the record's prev_hash is not the previous record's record_hash ('' / None
    for the first), or when its record_hash does not match its content (vote_record_hash).
    """
    prev = None
    for r in sorted(records, key=lambda r: r.id):
        expected = vote_record_hash(prev, ballot_id=r.ballot_id, household_id=r.household_id, channel=r.channel,
                                    cast_at_iso=r.cast_at_iso, receipt_code=r.receipt_code, choices=r.choices)
        if (r.prev_hash or "") != (prev or "") or r.record_hash != expected:
            return r.id
        prev = r.record_hash
    return None
