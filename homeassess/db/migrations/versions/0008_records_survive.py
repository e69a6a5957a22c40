"""Records that survive (issue 14): row versions, unique history steps, and the erasure log.

- ``version`` on client, goal, assessment and recommendation: bumped by every update, so an edit
  made from a stale copy (another program changed the row meanwhile) is refused, not applied.
- ``recommendation_event``: (recommendation_id, seq) unique. Two writers once produced duplicated
  steps; existing histories are renumbered 1, 2, 3 … in their recorded order before the constraint.
- ``erasure``: that a permanent erasure happened, never what was erased.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 16:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

VERSIONED = ('client', 'goal', 'assessment', 'recommendation')


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    # Renumber each history in the order its steps were recorded (ties broken by SQLite's rowid, the
    # order of insertion; a PostgreSQL server starts empty, and its ids break ties just as well).
    tie = "rowid" if op.get_bind().dialect.name == "sqlite" else "id"
    op.execute(f"""
        UPDATE recommendation_event SET seq = (
            SELECT COUNT(*) FROM recommendation_event AS e
            WHERE e.recommendation_id = recommendation_event.recommendation_id
              AND (e.seq < recommendation_event.seq
                   OR (e.seq = recommendation_event.seq AND e.created_at < recommendation_event.created_at)
                   OR (e.seq = recommendation_event.seq AND e.created_at = recommendation_event.created_at
                       AND e.{tie} <= recommendation_event.{tie})))
    """)
    with op.batch_alter_table('recommendation_event', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_recommendation_event_recommendation_id', ['recommendation_id', 'seq'])
    op.create_table(
        'erasure',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('erased_at', sa.DateTime(), nullable=False),
        sa.Column('what', sa.String(length=20), nullable=False),
        sa.Column('photo_files', sa.Integer(), nullable=False),
        sa.Column('by', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure')),
    )


def downgrade() -> None:
    op.drop_table('erasure')
    with op.batch_alter_table('recommendation_event', schema=None) as batch_op:
        batch_op.drop_constraint('uq_recommendation_event_recommendation_id', type_='unique')
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
