"""Account use cases: register, authenticate, load."""
from ..extensions import db
from .models import User


def load_user(user_id: str) -> User | None:
    """Load the user named in the session, if its session token is still current."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token:
        return None
    return user
