"""Visit bundles (issue 15): the sync base, what each exchanged row looked like when this copy and
another last met, so an import can tell a change made there from a change made on both sides.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 17:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sync_base',
        sa.Column('entity', sa.String(length=40), nullable=False),
        sa.Column('entity_id', sa.String(length=80), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('entity', 'entity_id', name=op.f('pk_sync_base')),
    )


def downgrade() -> None:
    op.drop_table('sync_base')
