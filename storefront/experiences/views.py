"""Public pages: ``/experiences`` (upcoming sessions by date, village and stars) and one experience."""
from flask import render_template, request, url_for
from flask_babel import gettext as _

from ..web.shop import bp
from . import queries
from .errors import NotAnExperience
from .models import LANGUAGE_LABELS


@bp.errorhandler(NotAnExperience)
def not_an_experience(error):
    return render_template("errors/error.html", error=error, code=404), 404


def village_sessions(village, limit: int = 6):
    """Template helper: the next sessions on sale in ``village`` (village page)."""
    return queries.of_village(village, limit=limit)


def producer_sessions(producer, limit: int = 6):
    """Template helper: the next sessions on sale of ``producer`` (producer page)."""
    return queries.of_producer(producer, limit=limit)


bp.add_app_template_global(village_sessions, "experience_sessions_of_village")
bp.add_app_template_global(producer_sessions, "experience_sessions_of_producer")


@bp.get("/experiences")
def experiences():
    problem = None
    try:
        filters = queries.ExperienceFilters.from_args(request.args)
    except queries.BadExperienceFilter as bad:
        filters, problem = queries.ExperienceFilters(), str(bad)
    page = queries.upcoming(filters)
    return render_template("experiences/list.html", page=page, filters=filters, problem=problem,
                           villages=queries.villages_with_sessions(),
                           page_url=lambda n: url_for(".experiences", **filters.to_args(page=n)))


@bp.get("/experiences/<slug>")
def experience(slug: str):
    found = queries.detail(slug)
    return render_template("experiences/detail.html", found=found, experience=found.experience,
                           LANGUAGE_LABELS=LANGUAGE_LABELS, title=_("Trải nghiệm"))
