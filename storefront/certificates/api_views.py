"""``/api/certificates/<code>``: the public certificate check as JSON."""
from flask import jsonify

from ..web.api import bp
from .verdict import Verdict, find_by_code, public_facts
from .views import lookups


@bp.get("/certificates/<code>", endpoint="certificate")
@lookups
def certificate(code: str):
    facts = public_facts(find_by_code(code))
    if facts is None:
        return jsonify(code=code[:40], verdict=str(Verdict.NOT_FOUND), valid=False,
                       error="certificate not found"), 404
    response = jsonify(facts.as_json())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
