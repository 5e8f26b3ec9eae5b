"""CSS and JS bundles with fingerprinted names, long-lived caching and precompressed bodies.

Why our own helper rather than Flask-Assets or Flask-Static-Digest: both need a build step whose output
(hashed copies in ``static/``) must be committed or run on every machine, and neither trims CSS. Here a
bundle is built in memory on first use: Bootstrap trimmed to the selectors our templates and scripts
use, then our stylesheet; it is named by its content hash (``/assets/app.3f2a9c1be07d.css``), served
with ``Cache-Control: immutable`` for a year, and compressed once (brotli and gzip) instead of per request.
A template edit that uses a new Bootstrap class changes the bundle and so its name: no stale build.
"""
from __future__ import annotations

import gzip
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Blueprint, Flask, Response, abort, current_app, has_request_context, request, url_for

bp = Blueprint("assets", __name__)
ROOT = Path(__file__).resolve().parent.parent
YEAR = 365 * 24 * 3600

# name -> (mimetype, sources under static/); a source named "trim:" is trimmed to the classes in use.
BUNDLES = {
    "app.css": ("text/css", ["trim:vendor/bootstrap/bootstrap.min.css", "css/site.css"]),
    "app.js": ("text/javascript", ["js/site.js"]),
    # staff areas (producer, outlet, admin) only
    "staff.css": ("text/css", ["css/staff.css"]),
    "scanner.js": ("text/javascript", ["js/scanner.js"]),
    "vietqr.js": ("text/javascript", ["js/vietqr.js"]),  # copy buttons, transfer countdown
    "jsqr.js": ("text/javascript", ["vendor/jsqr/jsQR.js"]),  # fetched when a camera scan starts
    "counter.js": ("text/javascript", ["js/counter.js"]),  # the outlet counter offline (issue 26)
}
# where class names in use are found
USAGE_SOURCES = ("templates", "static/js", "storefront")
USAGE_SUFFIXES = {".html", ".js", ".py", ".txt", ".xml"}


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzip: bytes
    br: bytes
    digest: str
    mimetype: str
    stamp: float


_bundles: dict[str, Bundle] = {}
_lock = threading.Lock()


# --- trimming Bootstrap ---------------------------------------------------------------------------

def used_words(root: Path = ROOT) -> tuple[set[str], tuple[str, ...]]:
    """Return every word in templates and scripts, and the class prefixes built from a variable."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for folder in USAGE_SOURCES:
        for path in (root / folder).rglob("*"):
            if path.suffix not in USAGE_SUFFIXES or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            words.update(re.findall(r"[A-Za-z0-9_-]+", text))
            prefixes.update(re.findall(r"([a-z][a-z0-9-]*-)(?:\{\{|\{%|['\"] ?\+|\$\{)", text))
    return words, tuple(sorted(prefixes))


def _blocks(css: str):
    """Yield (prelude, body) for each top-level rule or at-rule of ``css``; body None for ``@x ...;``."""
    i, n = 0, len(css)
    while i < n:
        start = i
        depth, quote = 0, None
        while i < n:
            char = css[i]
            if quote:
                if char == "\\":
                    i += 1
                elif char == quote:
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == "/" and css.startswith("/*", i):
                end = css.find("*/", i + 2)
                i = n if end < 0 else end + 1
            elif char == ";" and depth == 0:
                yield css[start:i + 1].strip(), None
                i += 1
                break
            elif char == "{":
                if depth == 0:
                    brace = i
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    yield css[start:brace].strip(), css[brace + 1:i]
                    i += 1
                    break
            i += 1
        else:
            return


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _needed_classes(selector: str) -> list[str]:
    # a class inside :not(...) is not required for the selector to match
    plain = re.sub(r":not\([^()]*(\([^()]*\)[^()]*)*\)", "", selector)
    return re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", plain)


def trim_css(css: str, words: set[str], prefixes: tuple[str, ...]) -> str:
    """Keep the rules of ``css`` whose selectors can match markup that uses only ``words``."""
    def used(name: str) -> bool:
        return name in words or name.startswith(prefixes)

    out = []
    for prelude, body in _blocks(css):
        if prelude.startswith("/*"):
            out.extend(re.findall(r"/\*!.*?\*/", prelude, flags=re.S))  # licence notices stay
            prelude = re.sub(r"/\*.*?\*/", "", prelude, flags=re.S).strip()
        if body is None:
            out.append(prelude)
        elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
            inner = trim_css(body, words, prefixes)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if all(map(used, _needed_classes(s)))]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


# --- bundles --------------------------------------------------------------------------------------

def _source_paths(static: Path, sources: list[str]) -> list[Path]:
    return [static / source.removeprefix("trim:") for source in sources]


def _stamp(paths: list[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def build(name: str, static: Path, root: Path = ROOT) -> Bundle:
    """Concatenate (and trim) a bundle's sources; compress it once."""
    mimetype, sources = BUNDLES[name]
    parts = []
    words = prefixes = None
    for source in sources:
        text = (static / source.removeprefix("trim:")).read_text(encoding="utf-8")
        if source.startswith("trim:"):
            if words is None:
                words, prefixes = used_words(root)
            text = trim_css(text, words, prefixes)
        parts.append(text)
    body = "\n".join(parts).encode()
    return Bundle(body=body, gzip=gzip.compress(body, 9, mtime=0),
                  br=brotli.compress(body, quality=11), digest=hashlib.sha256(body).hexdigest()[:12],
                  mimetype=mimetype, stamp=_stamp(_source_paths(static, sources)))


def bundle(name: str) -> Bundle:
    """Return the current bundle, rebuilt when a source changed (debug) or on first use."""
    app = current_app
    static = Path(app.static_folder)
    with _lock:
        found = _bundles.get(name)
        if found is None or (app.debug and found.stamp < _stamp(
                _source_paths(static, BUNDLES[name][1]))):
            found = _bundles[name] = build(name, static)
        return found


def asset_url(name: str) -> str:
    """The fingerprinted URL of a bundle (``app.css``) or of a file under static/ (``favicon.svg``).

    Every page asks for four; outside debug the files do not change while the app runs, so each
    URL is worked out once per app (and script root) instead of a stat and ``url_for`` each time.
    """
    app = current_app
    key = (name, request.script_root if has_request_context() else "")
    known = app.extensions.setdefault("asset_urls", {})
    if not app.debug and key in known:
        return known[key]
    if name in BUNDLES:
        stem, dot, ext = name.rpartition(".")
        url = url_for("assets.serve", filename=f"{stem}.{bundle(name).digest}.{ext}")
    else:
        url = url_for("static", filename=name, v=_file_digest(Path(app.static_folder) / name))
    if not app.debug:
        known[key] = url
    return url


_file_digests: dict[tuple[Path, float], str] = {}


def _file_digest(path: Path) -> str:
    key = (path, path.stat().st_mtime if path.exists() else 0.0)
    if key not in _file_digests:
        _file_digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "0"
    return _file_digests[key]


@bp.get("/assets/<filename>")
def serve(filename: str):
    match = re.fullmatch(r"(?P<stem>[\w-]+)\.(?P<digest>[0-9a-f]{12})\.(?P<ext>css|js)", filename)
    if not match or f"{match['stem']}.{match['ext']}" not in BUNDLES:
        abort(404)
    found = bundle(f"{match['stem']}.{match['ext']}")
    accepted = request.headers.get("Accept-Encoding", "")
    encoding, body = next(((enc, data) for enc, data in (("br", found.br), ("gzip", found.gzip))
                           if enc in accepted), (None, found.body))
    response = Response(body, mimetype=found.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    if match["digest"] == found.digest:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:  # a page from before a deploy: give it the current file, but do not let it stick
        response.headers["Cache-Control"] = "no-cache"
    response.set_etag(f"{found.digest}-{encoding or 'identity'}")
    return response.make_conditional(request)


def static_cache_max_age(app: Flask):
    """Cache files under static/ for a year when their URL carries a fingerprint (``?v=``)."""
    def get_send_file_max_age(filename):
        if request.args.get("v"):
            return YEAR
        return None
    return get_send_file_max_age


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(asset_url)
    app.get_send_file_max_age = static_cache_max_age(app)
