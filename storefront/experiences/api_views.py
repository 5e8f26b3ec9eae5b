"""``/api/experiences`` and ``/api/experiences/<slug>``: listed experiences and their sessions on sale.

Times are ISO 8601 with Hanoi's offset; prices are whole đồng. The same filters as
``/experiences`` (``date``, ``village``, ``stars``, ``page``); a value it cannot understand answers
400 with ``{"error": ..., "parameter": ...}``.
"""
from datetime import timezone

from flask import jsonify, request

from ..catalog.links import absolute_url, media_url
from ..timeutil import HANOI
from ..web.api import bp
from . import queries
from .errors import NotAnExperience


@bp.errorhandler(NotAnExperience)
def not_an_experience(error):
    return jsonify(error="not found"), 404


@bp.errorhandler(queries.BadExperienceFilter)
def bad_experience_filter(error):
    return jsonify(error=str(error), parameter=error.name), 400


def _moment(value) -> str:
    return value.replace(tzinfo=timezone.utc).astimezone(HANOI).isoformat()


def session_json(session) -> dict:
    return {"id": session.id, "start": _moment(session.starts_at), "end": _moment(session.ends_at),
            "capacity": session.capacity, "seats_left": session.seats_left}


def experience_json(experience, stars: int, village) -> dict:
    product = experience.product
    return {
        "slug": product.slug, "title_vi": product.name_vi, "title_en": product.name_en,
        "stars": stars, "group": product.group,
        "village": {"slug": village.slug, "name": village.name, "name_en": village.name_en},
        "producer": {"slug": product.producer.slug, "name": product.producer.name},
        "place": {"kind": experience.place_kind, "name": experience.place_name,
                  "address": experience.place_address, "map_url": experience.place_map_url,
                  "outlet": experience.outlet.slug if experience.outlet else None},
        "duration_minutes": experience.duration_minutes, "languages": experience.language_codes,
        "min_age": experience.min_age, "cancel_free_hours": experience.cancel_free_hours,
        "booking_cutoff_minutes": experience.cutoff_minutes,
        "prices": [{"code": p.code, "label_vi": p.label_vi, "label_en": p.label_en, "price": p.price,
                    "seats": p.seats, "currency": "VND"} for p in experience.person_types if p.active],
        "photos": [media_url(photo.large_key, external=True) for photo in product.photos],
        "url": absolute_url("shop.experience", slug=product.slug),
    }


@bp.get("/experiences")
def experiences():
    page = queries.upcoming(queries.ExperienceFilters.from_args(request.args))
    grouped: dict[int, dict] = {}
    for item in page.items:
        found = grouped.setdefault(item.experience.id, experience_json(item.experience, item.stars,
                                                                       item.village) | {"sessions": []})
        found["sessions"].append(session_json(item.session))
    return jsonify(items=list(grouped.values()), page=page.page, has_next=page.has_next)


@bp.get("/experiences/<slug>")
def experience(slug: str):
    found = queries.detail(slug)
    return jsonify(experience_json(found.experience, found.stars, found.village)
                   | {"sessions": [session_json(s) for s in found.sessions]})
