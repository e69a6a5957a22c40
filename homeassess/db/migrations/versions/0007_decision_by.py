"""Who decided a recommendation's status (issue 13): the client, a carer or family member, or the therapist.

``recommendation_event.decided_by`` holds ``client`` | ``carer`` | ``therapist`` for decisions
(agreeing or declining); ``by`` stays the person who recorded the step. Existing steps get ``''``
(not recorded), which the clinical report prints as "decision maker not recorded".

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 09:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('recommendation_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_by', sa.String(length=20), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('recommendation_event', schema=None) as batch_op:
        batch_op.drop_column('decided_by')
