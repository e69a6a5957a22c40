"""Client facts the rules need (issue 11, part 2): symptoms (freezing, fatigue, reduced sensation, heat
sensitivity, sitting only with support), a second mobility aid and when it is used (outdoors, or at night
and on bad days), and the rated load of equipment the client already uses (bed, toilet, hoist, chair).

Existing clients get the neutral values: no symptoms, no second aid, no equipment.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:20:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('symptoms', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('second_aid', sa.String(length=40), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('second_aid_use', sa.String(length=20), nullable=False,
                                      server_default='outdoors'))
        batch_op.add_column(sa.Column('equipment', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        for column in ('equipment', 'second_aid_use', 'second_aid', 'symptoms'):
            batch_op.drop_column(column)
