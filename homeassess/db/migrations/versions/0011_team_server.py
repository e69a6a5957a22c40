"""A team on one PostgreSQL server (issue 16).

- ``visit_hold`` (server): which laptop holds a checked-out visit, and since when.
- ``team_checkout`` (laptop): visits that came from the server, and their records as they left it.
- ``photo_file`` (server): the photo files, so every computer on the team can show them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 10:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'visit_hold',
        sa.Column('assessment_id', sa.String(length=36), nullable=False),
        sa.Column('client_id', sa.String(length=36), nullable=False),
        sa.Column('holder', sa.String(length=200), nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('device_name', sa.String(length=200), nullable=False),
        sa.Column('since', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_visit_hold_assessment_id_assessment'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_visit_hold')),
    )
    with op.batch_alter_table('visit_hold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_hold_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_hold_device_id'), ['device_id'], unique=False)
    op.create_table(
        'team_checkout',
        sa.Column('assessment_id', sa.String(length=36), nullable=False),
        sa.Column('client_id', sa.String(length=36), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('checked_out_at', sa.DateTime(), nullable=False),
        sa.Column('checked_in_at', sa.DateTime(), nullable=True),
        sa.Column('base', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_team_checkout')),
    )
    with op.batch_alter_table('team_checkout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_checkout_client_id'), ['client_id'], unique=False)
    op.create_table(
        'photo_file',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_photo_file')),
    )


def downgrade() -> None:
    op.drop_table('photo_file')
    with op.batch_alter_table('team_checkout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_checkout_client_id'))
    op.drop_table('team_checkout')
    with op.batch_alter_table('visit_hold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_hold_device_id'))
        batch_op.drop_index(batch_op.f('ix_visit_hold_client_id'))
    op.drop_table('visit_hold')
