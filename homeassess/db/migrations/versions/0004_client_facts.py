"""Client facts the rules need: weaker side, transfers, behaviours, home oxygen, smoking in the home,
and the rated load of the client's own walking aid or wheelchair.

Existing clients get the neutral values (no one-sided weakness, independent transfers, none).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:10:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weak_side', sa.String(length=10), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('transfers', sa.String(length=20), nullable=False,
                                      server_default='independent'))
        batch_op.add_column(sa.Column('behaviours', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('home_oxygen', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('household_smoker', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('aid_swl_kg', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        for column in ('aid_swl_kg', 'household_smoker', 'home_oxygen', 'behaviours', 'transfers', 'weak_side'):
            batch_op.drop_column(column)
