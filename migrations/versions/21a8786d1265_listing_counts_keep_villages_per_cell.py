"""Listing counts keep, per (star set, group), how many villages have a listed product; search words; village sort names

Revision ID: 21a8786d1265
Revises: 9d2d6fd99ad8
Create Date: 2026-11-30 21:48:22.692536

The kept counts are emptied and marked uncounted: the first catalogue request (or the first write
that changes the listing) counts them again with the new column filled, under the day lock.
The search words (``catalog/spelling.py``) are filled from the listing table's search text, and
each village's folded sort names and search text from its names (``Village.folded_names``).
Plain SQL only, so this file does not depend on the app's code as it changes later.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '21a8786d1265'
down_revision = '9d2d6fd99ad8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('catalog_listing_count', schema=None) as batch_op:
        batch_op.add_column(sa.Column('villages', sa.Integer(), server_default='0', nullable=False))
    _uncount()
    op.create_table('catalog_search_word',
    sa.Column('word', sa.String(length=64), nullable=False),
    sa.Column('letters', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_catalog_search_word'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    # As for ix_catalog_listing_search: a GIN trigram index on PostgreSQL, a plain one on SQLite.
    with op.batch_alter_table('catalog_search_word', schema=None) as batch_op:
        batch_op.create_index('ix_catalog_search_word_letters', ['letters', 'word'], unique=False)
        batch_op.create_index('ix_catalog_search_word_trgm', ['word'], unique=False,
                              postgresql_using='gin', postgresql_ops={'word': 'public.gin_trgm_ops'})
    _fill_words()
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_name_vi', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('sort_name_en', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_text', sa.String(length=500), server_default='', nullable=False))
        batch_op.create_index('ix_village_sort_name_en', ['sort_name_en', 'id'], unique=False)
        batch_op.create_index('ix_village_sort_name_vi', ['sort_name_vi', 'id'], unique=False)
    _fill_village_names()


def _fill_village_names():
    from storefront.text import fold

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, name_en, commune, district FROM village")).all()
    for village_id, name, name_en, commune, district in rows:
        bind.execute(sa.text("UPDATE village SET sort_name_vi = :vi, sort_name_en = :en, search_text = :found "
                             "WHERE id = :id"),
                     {"vi": fold(name)[:120], "en": fold(name_en or name)[:120], "id": village_id,
                      "found": fold(" ".join(p for p in (name, name_en, commune, district) if p))[:500]})


def _fill_words():
    """Every folded word of 3 to 64 letters of the listing table's search text, numbers left out."""
    bind = op.get_bind()
    texts = bind.execute(sa.text("SELECT search_text FROM catalog_listing")).scalars()
    words = sorted({w for text in texts for w in text.split() if 3 <= len(w) <= 64 and not w.isdigit()})
    table = sa.table('catalog_search_word', sa.column('word'), sa.column('letters'))
    for start in range(0, len(words), 5000):
        op.bulk_insert(table, [{'word': w, 'letters': len(w)} for w in words[start:start + 5000]])


def downgrade():
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_index('ix_village_sort_name_vi')
        batch_op.drop_index('ix_village_sort_name_en')
        batch_op.drop_column('search_text')
        batch_op.drop_column('sort_name_en')
        batch_op.drop_column('sort_name_vi')
    with op.batch_alter_table('catalog_search_word', schema=None) as batch_op:
        batch_op.drop_index('ix_catalog_search_word_trgm', postgresql_using='gin',
                            postgresql_ops={'word': 'public.gin_trgm_ops'})
        batch_op.drop_index('ix_catalog_search_word_letters')
    op.drop_table('catalog_search_word')
    with op.batch_alter_table('catalog_listing_count', schema=None) as batch_op:
        batch_op.drop_column('villages')
    _uncount()


def _uncount():
    op.execute("DELETE FROM catalog_listing_count")
    op.execute("UPDATE catalog_listing_count_day SET day = NULL")
