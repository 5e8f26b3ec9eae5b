"""Extensions, created unbound and attached in ``create_app``."""
import logging

from flask_babel import Babel
from flask_caching import Cache
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as _FlaskSession
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.exc import DBAPIError

# Named constraints so Alembic can alter them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Session(_FlaskSession):
    """Flask-SQLAlchemy's session, whose ``close`` survives a database that died under it."""

    def close(self) -> None:
        try:
            super().close()
        except DBAPIError as error:
            # Rolling back on a lost connection failed: drop the connection instead. Raised here,
            # at the end of a request, the error would escape every error handler and turn the
            # page already made (or the 503) into a bare 500. The pool connects afresh next time.
            logging.getLogger(__name__).warning(
                "Database connection lost as a session closed: %s", str(error.orig).splitlines()[0])
            self.invalidate()


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING), session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
cache = Cache()  # SimpleCache per process, or Redis when REDIS_URL is set (see config)
compress = Compress()  # gzip/brotli for pages and JSON; /assets/ bundles come precompressed
