"""Demo records of the voting area: the frozen electorate of the demo's closed ballots.

renovation/demo.py builds its closed ballots directly (not through close_ballot), so their electorate
(BallotElector) is written here, from the households active at load.
"""

from sqlalchemy import exists, select

from renovation.extensions import db
from renovation.voting.models import Ballot, BallotElector, BallotStatus
from renovation.voting.services import freeze_electorate


def load(ctx) -> None:
    """Freeze the electorate of every CLOSED ballot lacking one (all projects of the demo). Flush only."""
    del ctx  # every closed ballot, not only 嵩岳小区's
    lacking = db.session.scalars(select(Ballot).where(
        Ballot.status == BallotStatus.CLOSED,
        ~exists().where(BallotElector.ballot_id == Ballot.id)).order_by(Ballot.id)).all()
    for ballot in lacking:
        freeze_electorate(ballot)
