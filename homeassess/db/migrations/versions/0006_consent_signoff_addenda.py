"""Consent at the start of a visit, sign-off at the end, addenda after (issue 12).

- ``visit_consent``: each recording of consent (assessment, photos for the record, photos for
  teaching or research, sharing with named people; signed or verbal and witnessed) is a new row,
  so changes are kept as history rather than overwritten.
- ``not_assessed``: rooms or items the therapist marks as not assessed so a visit can be signed off.
- ``addendum``: dated, attributed notes added after sign-off.
- ``assessment``: who signed the visit off, how and when.

Existing visits get the neutral values: consent "not recorded" (no consent rows), nothing marked
not assessed, no addenda, not signed off (status and sign-off columns empty).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _fk(column: str, table: str, target: str, ondelete: str = 'CASCADE') -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        'visit_consent',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('assessment_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('to_assessment', sa.Boolean(), nullable=False),
        sa.Column('photos_record', sa.Boolean(), nullable=False),
        sa.Column('photos_teaching', sa.Boolean(), nullable=False),
        sa.Column('share_with', sa.JSON(), nullable=False),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('given_by', sa.String(length=200), nullable=False),
        sa.Column('given_by_relationship', sa.String(length=100), nullable=False),
        sa.Column('witness', sa.String(length=200), nullable=False),
        sa.Column('signature', sa.LargeBinary(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_by', sa.String(length=200), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        _fk('assessment_id', 'visit_consent', 'assessment'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_consent')),
        sa.UniqueConstraint('assessment_id', 'seq', name=op.f('uq_visit_consent_assessment_id')),
    )
    _indexes('visit_consent', 'assessment_id')
    op.create_table(
        'not_assessed',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('assessment_id', sa.String(length=36), nullable=False),
        sa.Column('room_id', sa.String(length=36), nullable=False),
        sa.Column('item_id', sa.String(length=120), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('marked_by', sa.String(length=200), nullable=False),
        sa.Column('marked_at', sa.DateTime(), nullable=False),
        _fk('assessment_id', 'not_assessed', 'assessment'),
        _fk('room_id', 'not_assessed', 'room'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_not_assessed')),
    )
    _indexes('not_assessed', 'assessment_id', 'room_id')
    op.create_table(
        'addendum',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('assessment_id', sa.String(length=36), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('by', sa.String(length=200), nullable=False),
        sa.Column('finding_id', sa.String(length=36), nullable=True),
        sa.Column('recommendation_id', sa.String(length=36), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('assessment_id', 'addendum', 'assessment'),
        _fk('finding_id', 'addendum', 'finding', 'SET NULL'),
        _fk('recommendation_id', 'addendum', 'recommendation', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_addendum')),
    )
    _indexes('addendum', 'assessment_id', 'finding_id', 'recommendation_id')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_off_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('signed_off_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('signed_off_by', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signed_off_registration', sa.String(length=100), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('signed_off_method', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signed_off_signature', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        for column in ('signed_off_signature', 'signed_off_method', 'signed_off_registration', 'signed_off_by',
                       'signed_off_on', 'signed_off_at'):
            batch_op.drop_column(column)
    op.drop_table('addendum')
    op.drop_table('not_assessed')
    op.drop_table('visit_consent')
