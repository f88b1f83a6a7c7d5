"""Write-side operations on ballots and votes (内容协商), and the read model of their tallies: the public face
of the area's services, split by what they are about:

- ``ballots``: creating and opening a ballot, its rule and who may vote on it;
- ``votes``: casting votes (online, paper, proxy) into the hash chain, receipts, checking the chain;
- ``results``: closing with the electorate frozen, tallies, publication of results, objections.

Services take the acting user, flush (never commit), write an audit row per state change, and raise
PermissionDenied / DomainError with messages in the reader's language (Chinese sources). The tally itself
is pure: renovation.voting.rules.
"""

from renovation.voting.ballots import (
    ballot_rule,
    create_ballot,
    eligible_households,
    is_eligible,
    is_open_for_votes,
    open_ballot,
    project_ballots,
    scope_label,
)
from renovation.voting.results import (
    RESULT_NOTICE_DAYS,
    answer_objection,
    ballot_dwellings,
    ballot_objections,
    ballot_tallies,
    can_object,
    can_see_tally,
    close_ballot,
    freeze_electorate,
    is_in_notice,
    publish_results,
    submit_objection,
)
from renovation.voting.votes import (
    RACE_MESSAGE,
    can_view_receipt,
    cast_vote,
    check_paper_replacement,
    check_vote_allowed,
    current_vote,
    find_receipt,
    households_voted_online,
    may_see_choices,
    normalise_receipt_code,
    record_choices_view,
    verify_chain,
)

__all__ = [
    # ballots
    "ballot_rule", "project_ballots", "create_ballot", "open_ballot", "eligible_households", "is_eligible",
    "scope_label", "is_open_for_votes",
    # votes and receipts
    "RACE_MESSAGE", "current_vote", "check_vote_allowed", "cast_vote", "can_view_receipt", "verify_chain",
    "normalise_receipt_code", "find_receipt", "check_paper_replacement", "households_voted_online",
    "may_see_choices", "record_choices_view",
    # results and objections
    "freeze_electorate", "ballot_dwellings", "ballot_tallies", "close_ballot", "can_see_tally",
    "RESULT_NOTICE_DAYS", "publish_results", "is_in_notice", "ballot_objections", "can_object",
    "submit_objection", "answer_objection",
]
