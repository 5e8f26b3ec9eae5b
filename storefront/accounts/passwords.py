"""Password hashing with argon2, at the cost the configuration asks for.

Production keeps argon2-cffi's defaults (RFC 9106's low-memory profile); the testing profile asks for
the cheapest parameters, because each strong hash costs about half a second on a small machine.
"""
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hasher() -> PasswordHasher:
    """Return the hasher configured by ``PASSWORD_HASH_*`` for the current app."""
    config = current_app.config
    return _hasher_for(config["PASSWORD_HASH_TIME_COST"], config["PASSWORD_HASH_MEMORY_KIB"],
                       config["PASSWORD_HASH_PARALLELISM"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return whether ``password`` matches ``password_hash``; never raises on a bad hash."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher_for(time_cost, memory_cost, parallelism).hash(secrets.token_urlsafe(16))


def spend_a_verify(password: str | None) -> None:
    """Verify against a dummy hash, so an unknown e-mail is not told apart by timing."""
    config = current_app.config
    params = (config["PASSWORD_HASH_TIME_COST"], config["PASSWORD_HASH_MEMORY_KIB"],
              config["PASSWORD_HASH_PARALLELISM"])
    verify_password(_dummy_hash(*params), password or "")
