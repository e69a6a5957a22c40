"""Client search at scale (issue 16): 50,000 clients on a team server, searched as you type.

- ``client_search``: one row per client, its given name, family name and address casefolded and
  accent-stripped (SQLite's lower() folds ASCII only), with an index in list order (family, given, id)
  that also holds the searched text. The app keeps it in step with ``client`` (mapper events in
  ``db/models.py``); here the rows of the clients already recorded are filled in. The folded columns
  compare byte by byte on PostgreSQL too (collation "C"), as SQLite's do, so both sort the list alike.
- PostgreSQL: a trigram index (pg_trgm) on the searched text, so ``LIKE '%word%'`` is an index lookup.
  A server where the extension cannot be created (not installed, or no right to) goes without: the
  search is the same, it walks the list-order index instead.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 10:00:00
"""
from __future__ import annotations

import logging
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BATCH = 1000
TRIGRAM_INDEX = 'ix_client_search_trigrams'
# A copy of homeassess.db.models.fold as it was at 0012 (a migration must not change when the app does).
_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae",
                        "œ": "oe", "þ": "th", "’": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-"})


def fold(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text).casefold() if not unicodedata.combining(c))
    return " ".join(bare.translate(_EXTRA).split())


def _folded() -> sa.types.TypeEngine:
    return sa.Text().with_variant(sa.Text(collation='C'), 'postgresql')


def upgrade() -> None:
    search = op.create_table(
        'client_search',
        sa.Column('client_id', sa.String(length=36), nullable=False),
        sa.Column('family_key', _folded(), nullable=False),
        sa.Column('given_key', _folded(), nullable=False),
        sa.Column('text', _folded(), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_search_client_id_client'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('client_id', name=op.f('pk_client_search')),
    )
    _backfill(search)
    with op.batch_alter_table('client_search', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_search_order'), ['family_key', 'given_key', 'client_id', 'text'],
                              unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        _trigram_index()


def _backfill(search: sa.Table) -> None:
    client = sa.table('client', sa.column('id', sa.String), sa.column('given_name', sa.String),
                      sa.column('family_name', sa.String), sa.column('address', sa.Text))
    bind = op.get_bind()
    rows = bind.execute(sa.select(client.c.id, client.c.given_name, client.c.family_name, client.c.address)).all()
    values = [{"client_id": id_, "family_key": fold(family or ""), "given_key": fold(given or ""),
               "text": fold(f"{given or ''} {family or ''} {address or ''}")} for id_, given, family, address in rows]
    for start in range(0, len(values), BATCH):
        bind.execute(sa.insert(search), values[start:start + BATCH])


def _trigram_index() -> None:
    bind = op.get_bind()
    try:
        with bind.begin_nested():   # a failure must not abort the migration's transaction
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            bind.exec_driver_sql(f"CREATE INDEX {TRIGRAM_INDEX} ON client_search USING gin (text gin_trgm_ops)")
    except sa.exc.DBAPIError as exc:
        logging.getLogger(__name__).warning("No trigram index for the client search (%s): searching a large "
                                            "client list will be slower", exc.orig)


def downgrade() -> None:
    with op.batch_alter_table('client_search', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_search_order'))
    op.drop_table('client_search')
