"""A history of changes (issue 15): every change recorded, who, when, what, old → new.

- ``change``: one row per changed field (or per row created or deleted), written by the session
  event in ``db/history.py``. No foreign keys: history outlives soft deletes and survives a row's
  removal; erasing a client deletes its rows by ``client_id``.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'change',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('by', sa.String(length=200), nullable=False),
        sa.Column('entity', sa.String(length=40), nullable=False),
        sa.Column('entity_id', sa.String(length=120), nullable=False),
        sa.Column('field', sa.String(length=60), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('old', sa.Text(), nullable=False),
        sa.Column('new', sa.Text(), nullable=False),
        sa.Column('client_id', sa.String(length=36), nullable=True),
        sa.Column('assessment_id', sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change')),
    )
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_assessment_id'), ['assessment_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_change_client_id'))
    op.drop_table('change')
