"""Pure tests of the 民法典 art. 278 tally, receipts and the hash chain (no app, no database)."""

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from renovation.voting import rules
from renovation.voting.rules import ABSTAIN, AGAINST, AGREE, Dwelling, default_rule, tally_item

ORDINARY = default_rule("ordinary")
SPECIAL = default_rule("rebuild")


def flats(*areas, owners=None):
    """Dwellings 1..n with the given areas (m²); each its own owner unless ``owners`` says otherwise."""
    owners = owners or list(range(1, len(areas) + 1))
    return [Dwelling(i + 1, owners[i], Decimal(a)) for i, a in enumerate(areas)]


def test_default_rules_follow_article_278():
    assert ORDINARY == rules.Rule(Fraction(2, 3), Fraction(1, 2), True, "民法典第二百七十八条")
    for matter in ("raise_fund", "rebuild", "change_use"):
        assert default_rule(matter) == rules.Rule(Fraction(2, 3), Fraction(3, 4), False, "民法典第二百七十八条")
    with pytest.raises(ValueError):
        default_rule("party")


def test_turnout_exactly_two_thirds_meets_quorum():
    # 3 flats of 100 m², 2 vote: area 200/300 = 2/3, owners 2/3 -> quorum (at least 2/3); agree 2/2 -> passes
    t = tally_item(flats(100, 100, 100), {1: AGREE, 2: AGREE}, ORDINARY)
    assert t.turnout_area == Decimal("200") and t.turnout_owners == 2
    assert t.turnout_area_ratio == Fraction(2, 3) and t.turnout_owner_ratio == Fraction(2, 3)
    assert t.quorum_met and t.passed
    assert t.reason.startswith("通过")


def test_turnout_below_two_thirds_of_area_fails_quorum_even_with_two_thirds_of_owners():
    # areas 120, 80, 100 (300 m²); flats 2 and 3 vote: owners 2/3 but area 180/300 = 3/5 < 2/3
    t = tally_item(flats(120, 80, 100), {2: AGREE, 3: AGREE}, ORDINARY)
    assert t.turnout_area_ratio == Fraction(3, 5) and t.turnout_owner_ratio == Fraction(2, 3)
    assert not t.quorum_met and not t.passed
    assert "未达到“均不低于三分之二”的参与要求" in t.reason and "60.0%" in t.reason


def test_approval_exactly_three_quarters_passes_special_matter():
    # 4 flats of 100 m², all vote, 3 agree: 300/400 = 3/4 and 3/4 owners -> at least 3/4 -> passes
    t = tally_item(flats(100, 100, 100, 100), {1: AGREE, 2: AGREE, 3: AGREE, 4: AGAINST}, SPECIAL)
    assert t.agree_area_ratio == Fraction(3, 4) and t.agree_owner_ratio == Fraction(3, 4)
    assert t.passed and "均不低于四分之三" in t.reason


def test_approval_just_under_three_quarters_fails_special_matter():
    # areas 100,100,100,101: agree 300/401 < 3/4 by area though 3/4 by owners
    t = tally_item(flats(100, 100, 100, 101), {1: AGREE, 2: AGREE, 3: AGREE, 4: AGAINST}, SPECIAL)
    assert t.agree_owner_ratio == Fraction(3, 4) and t.agree_area_ratio == Fraction(300, 401)
    assert t.quorum_met and not t.passed


def test_exactly_half_fails_ordinary_matter():
    # 4 flats of 100 m², 2 agree 2 against: 1/2 is not MORE than half
    t = tally_item(flats(100, 100, 100, 100), {1: AGREE, 2: AGREE, 3: AGAINST, 4: AGAINST}, ORDINARY)
    assert t.agree_area_ratio == Fraction(1, 2) and t.agree_owner_ratio == Fraction(1, 2)
    assert t.quorum_met and not t.approved and not t.passed
    assert "未达到“均超过二分之一”的同意要求" in t.reason


def test_buyer_of_three_dwellings_counts_once():
    # owner 1 holds flats 1-3 (50 m² each), owners 2 and 3 hold flats 4 and 5: 250 m², 3 owners.
    # Flats 1-3 agree, flat 4 against, flat 5 absent.
    # Turnout: area 200/250 = 4/5, owners 2/3 (owner 1, owner 2) -> quorum met.
    # Agree: area 150/200 = 3/4, owners 1/2 -> not more than half -> fails (per household it would be 3/4).
    t = tally_item(flats(50, 50, 50, 50, 50, owners=[1, 1, 1, 2, 3]),
                   {1: AGREE, 2: AGREE, 3: AGREE, 4: AGAINST}, ORDINARY)
    assert t.eligible_owners == 3 and t.turnout_owners == 2 and t.agree_owners == 1
    assert t.households_voted == 4
    assert t.turnout_area_ratio == Fraction(4, 5) and t.agree_area_ratio == Fraction(3, 4)
    assert t.agree_owner_ratio == Fraction(1, 2)
    assert t.quorum_met and not t.passed


def test_developer_unsold_dwellings_count_once():
    # developer (owner 9) keeps 4 unsold flats of 60 m² (240 m²); owners 1-3 hold one 80 m² flat each.
    # Total 480 m², 4 owners. Developer's 4 flats and owner 1 agree; owners 2 and 3 against.
    # Turnout 480/480 and 4/4. Agree: area (240 + 80)/480 = 2/3 > 1/2, owners 2/4 = 1/2 -> fails.
    t = tally_item(flats(60, 60, 60, 60, 80, 80, 80, owners=[9, 9, 9, 9, 1, 2, 3]),
                   {1: AGREE, 2: AGREE, 3: AGREE, 4: AGREE, 5: AGREE, 6: AGAINST, 7: AGAINST}, ORDINARY)
    assert t.eligible_owners == 4 and t.turnout_owners == 4 and t.agree_owners == 2
    assert t.agree_area == Decimal("320") and t.agree_area_ratio == Fraction(2, 3)
    assert not t.passed


def test_owner_split_between_choices_is_not_an_agreeing_voice():
    # owner 1 holds flats 1 and 2 (100 m² each) and votes agree + against; owner 2 (flat 3, 100 m²) agrees.
    # Owners: 2 participate, 1 agrees (owner 2) -> 1/2 -> fails; area agree 200/300 = 2/3.
    t = tally_item(flats(100, 100, 100, owners=[1, 1, 2]), {1: AGREE, 2: AGAINST, 3: AGREE}, ORDINARY)
    assert t.turnout_owners == 2 and t.agree_owners == 1 and not t.passed


def test_abstentions_take_part_but_do_not_approve():
    # 4 flats of 100 m²; 2 agree, 1 abstains, 1 absent: turnout 300/400 = 3/4 (quorum met),
    # agree 200/300 = 2/3 -> passes ordinary (> 1/2), fails a 3/4 matter.
    choices = {1: AGREE, 2: AGREE, 3: ABSTAIN}
    t = tally_item(flats(100, 100, 100, 100), choices, ORDINARY)
    assert t.turnout_area == Decimal("300") and t.abstain_area == Decimal("100")
    assert t.agree_area_ratio == Fraction(2, 3) and t.passed
    assert not tally_item(flats(100, 100, 100, 100), choices, SPECIAL).passed
    # 2 agree, 2 abstain: 1/2 of participants agree -> an ordinary matter fails
    assert not tally_item(flats(100, 100, 100, 100), {1: AGREE, 2: AGREE, 3: ABSTAIN, 4: ABSTAIN}, ORDINARY).passed


def test_ballot_scoped_to_one_entrance_counts_only_its_households():
    # The entrance has flats 1-3 (120, 80, 80 = 280 m²); flat 4 is in another entrance and its vote is ignored.
    # Flats 1 and 2 agree: turnout 200/280 = 5/7 >= 2/3 and owners 2/3; agree 100% -> passes.
    entrance = flats(120, 80, 80)
    t = tally_item(entrance, {1: AGREE, 2: AGREE, 4: AGAINST}, ORDINARY)
    assert t.eligible_area == Decimal("280") and t.eligible_owners == 3
    assert t.turnout_area_ratio == Fraction(5, 7) and t.households_voted == 2
    assert t.against_area == 0 and t.passed


def test_no_eligible_households_cannot_pass():
    t = tally_item([], {}, ORDINARY)
    assert not t.passed and t.turnout_area_ratio is None and "无法表决" in t.reason


def test_share_labels():
    assert rules.share_label(Fraction(2, 3)) == "三分之二"
    assert rules.share_label(Fraction(3, 5)) == "3/5"


def test_receipt_code_shape():
    code = rules.new_receipt_code()
    assert len(code) == 8 and set(code) <= set(rules.RECEIPT_ALPHABET)
    assert not set("01OIL") & set(rules.RECEIPT_ALPHABET)


def _chain(n):
    out, prev = [], None
    for i in range(1, n + 1):
        fields = dict(ballot_id=1, household_id=i, channel="online",
                      cast_at_iso=rules.iso_utc(datetime(2025, 5, 1, 8, i, tzinfo=UTC)),
                      receipt_code=f"CODE{i:04d}", choices={1: "agree"})
        h = rules.vote_record_hash(prev, **fields)
        out.append(rules.VoteRecord(id=i, prev_hash=prev, record_hash=h, **fields))
        prev = h
    return out


def test_chain_holds_and_breaks_where_tampered():
    chain = _chain(3)
    assert rules.first_broken_link(chain) is None
    tampered = list(chain)
    tampered[1] = rules.VoteRecord(**{**chain[1].__dict__, "choices": {1: "against"}})
    assert rules.first_broken_link(tampered) == 2
    # deleting record 2 breaks the link of record 3
    assert rules.first_broken_link([chain[0], chain[2]]) == 3
