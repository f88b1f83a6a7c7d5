"""Pure rules of voting (no app, no database).

Tamper evidence: each Vote record carries ``record_hash`` = SHA-256 over its content and the previous
record's hash in the same ballot (``prev_hash``; '' for the first), so that changing or deleting any
stored vote breaks every later link.
"""

import hashlib
import json


def vote_record_hash(prev_hash: str | None, *, ballot_id: int, household_id: int, channel: str,
                     cast_at_iso: str, receipt_code: str, choices: dict[int, str]) -> str:
    """SHA-256 hex digest of one vote record chained to ``prev_hash``.

    ``choices`` maps ballot_item_id -> choice value ('agree'/'against'/'abstain'); ``cast_at_iso`` is
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
