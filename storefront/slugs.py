"""Unique, readable slugs for any table with a ``slug`` column."""
from sqlalchemy import or_, select

from .extensions import db
from .text import slugify


def unique_slug(model, text: str, exclude_id: int | None = None, max_length: int = 80) -> str:
    """Return a slug for ``text`` unused in ``model``'s table: ``ten``, ``ten-2``, ``ten-3``..."""
    base = slugify(text, max_length=max_length)
    query = select(model.slug).where(or_(model.slug == base, model.slug.like(f"{base}-%")))
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    taken = set(db.session.scalars(query))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
