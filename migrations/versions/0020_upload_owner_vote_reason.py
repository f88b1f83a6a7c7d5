"""uploads carry their owner; a paper vote's reason; vote audit rows keep no choices (issue 15)

Revision ID: 0020
Revises: 0004
Create Date: 2026-12-07 14:01:01.378407

Data: every stored upload gets the owner it already had through the tables that point at it (a paper
ballot's scan -> 'vote_scan' of that vote, a repair photo -> 'repair', ...), so /files asks the owner's rule
from the first request; the rest stay project files. Audit rows of votes written before this revision lose
their choices and receipt code (ballot secrecy: leaders read the audit log) and gain the record's hash.
"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0004'
branch_labels = None
depends_on = None

#: (kind, table holding the upload id, its column, the owner id expression in that table)
OWNERS = [
    ("vote_scan", "vote", "scan_upload_id", "id"),
    ("proxy_letter", "vote", "letter_upload_id", "id"),
    ("plan_photo", "plan", "notice_photo_id", "id"),
    ("progress", "progress_update", "photo_id", "id"),
    ("problem", "problem_report", "photo_id", "id"),
    ("problem", "rectification", "photo_id", "problem_id"),
    ("site_log", "site_log_photo", "upload_id", "site_log_id"),
    ("acceptance", "acceptance_document", "upload_id", "acceptance_id"),
    ("handover", "handover_document", "upload_id", "handover_id"),
    ("repair", "repair_request", "photo_id", "id"),
    ("activity", "activity_photo", "upload_id", "activity_id"),
]


def _backfill_owners():
    for kind, table, column, owner in OWNERS:
        op.execute(sa.text(
            f"UPDATE upload SET owner_kind = :kind, owner_id = (SELECT MIN(t.{owner}) FROM {table} t "
            f"WHERE t.{column} = upload.id) WHERE owner_kind IS NULL AND id IN "
            f"(SELECT {column} FROM {table} WHERE {column} IS NOT NULL)").bindparams(kind=kind))


def _load(value):
    if value is None or isinstance(value, dict):
        return value
    return json.loads(value)


def _scrub_vote_audit_rows():
    bind = op.get_bind()
    audit = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("action", sa.String),
                     sa.column("object_id", sa.Integer), sa.column("before", sa.JSON), sa.column("after", sa.JSON))
    vote = sa.table("vote", sa.column("id", sa.Integer), sa.column("record_hash", sa.String))
    rows = bind.execute(
        sa.select(audit.c.id, audit.c.before, audit.c.after, vote.c.record_hash)
        .select_from(audit.outerjoin(vote, vote.c.id == audit.c.object_id))
        .where(audit.c.action.in_(["vote.cast", "vote.change"]))).all()
    hashes = dict(bind.execute(sa.select(vote.c.id, vote.c.record_hash)).all()) if rows else {}
    for row_id, before, after, record_hash in rows:
        before, after = _load(before), _load(after)
        if after is not None:
            after = {k: v for k, v in after.items() if k not in ("choices", "receipt")}
            after["record_hash"] = record_hash
        if before is not None:
            before = {k: v for k, v in before.items() if k not in ("choices", "receipt")}
            before["record_hash"] = hashes.get(before.get("vote_id"))
        bind.execute(audit.update().where(audit.c.id == row_id).values(before=before, after=after))


def upgrade():
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_upload_owner', ['owner_kind', 'owner_id'], unique=False)

    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=200), nullable=True))

    _backfill_owners()
    _scrub_vote_audit_rows()


def downgrade():
    # The scrubbed choices are not restored (they were never meant to be in the audit log).
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_column('reason')

    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_index('ix_upload_owner')
        batch_op.drop_column('owner_id')
        batch_op.drop_column('owner_kind')
