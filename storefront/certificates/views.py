"""Public certificate check in the shop: ``/certificates`` and ``/certificates/<code>`` (JSON: ``api_views.py``)."""
from flask import redirect, render_template, request, url_for

from ..catalog.models import ISSUING_LEVEL_LABELS
from ..extensions import limiter
from ..web.shop import bp
from .verdict import VERDICT_LABELS, Verdict, find_by_code, normalize_code, public_facts, \
    search_by_decision_number

# Codes are unguessable; a visitor who keeps asking for unknown ones is trying to enumerate them.
_NOT_FOUND_LIMIT = "30 per minute;300 per day"


def _not_found(response) -> bool:
    return response.status_code == 404


# One budget for the page, the search and the API, so switching between them does not help a guesser:
# each answers 404 when it found nothing.
lookups = limiter.shared_limit(_NOT_FOUND_LIMIT, scope="certificate-lookups", deduct_when=_not_found)


@bp.context_processor
def _labels():
    return {"verdict_labels": VERDICT_LABELS, "Verdict": Verdict,
            "level_labels": ISSUING_LEVEL_LABELS}


@bp.get("/certificates", endpoint="certificate_search")
@lookups
def search():
    """Find a certificate by its decision number (or the code printed on a label)."""
    query = (request.args.get("q") or "").strip()[:80]
    if not query:
        return render_template("certificates/search.html", query="", results=None)
    if normalize_code(query) and (found := find_by_code(query)) is not None:
        return redirect(url_for(".certificate", code=found.code))
    results = search_by_decision_number(query)
    page = render_template("certificates/search.html", query=query, results=results)
    return page, 200 if results else 404


@bp.get("/certificates/<code>", endpoint="certificate")
@lookups
def show(code: str):
    facts = public_facts(find_by_code(code))
    if facts is None:
        return render_template("certificates/show.html", facts=None, code=code[:40]), 404
    if facts.certificate.code != code:  # typed in lower case or with a dash: one address per code
        return redirect(url_for(".certificate", code=facts.certificate.code), 301)
    return render_template("certificates/show.html", facts=facts, code=code)
