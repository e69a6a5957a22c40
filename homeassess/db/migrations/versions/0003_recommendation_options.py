"""Recommendations with options: a stable group key, the options offered and why one was chosen.

Existing rows keep their recommendation as their own group (group_key = template_id).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 20:30:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_key', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('options', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('choice_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('option_locked', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE recommendation SET group_key = template_id WHERE template_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('option_locked')
        batch_op.drop_column('choice_reason')
        batch_op.drop_column('options')
        batch_op.drop_column('group_key')
