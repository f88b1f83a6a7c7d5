"""Languages and display preferences: Chinese (zh_CN) by default, English available (Flask-Babel), a
larger-text mode for elderly residents, and the formatting of dates, numbers and money through Babel.

The source strings in the code and templates are the Chinese of the product. Each area keeps its own
English catalogue next to its code, ``renovation/<area>/translations/en/LC_MESSAGES/messages.po`` (and the
compiled ``.mo``), built from the sources listed in :data:`CATALOGUES`; Flask-Babel merges them all.
``flask translate update|compile|check`` maintains them (docs/i18n.md). What the
app *stores* (titles of records it creates, audit entries, vote receipts) and the official documents it
generates (PDF reports, public notices, xlsx ledgers) stay in Chinese whatever the reader's language:
they are rendered under :func:`chinese`.

Time is always shown in Asia/Shanghai (BABEL_DEFAULT_TIMEZONE), whatever the server's zone.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Blueprint, Flask, make_response, redirect, request
from flask_babel import Babel, force_locale, get_locale, refresh

from renovation.core.security import is_safe_next
from renovation.core.timeutil import to_local

#: The languages offered, code -> the language's own name (shown in the switcher).
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
DEFAULT_LOCALE = "zh_CN"
#: Cookies holding the reader's choices for a year (no account needed: the login page uses them too).
LANG_COOKIE = "lang"
TEXT_SIZE_COOKIE = "text_size"
TEXT_SIZES = ("normal", "large")
_ONE_YEAR = 365 * 24 * 3600

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent


def _catalogues() -> dict[str, list[str]]:
    """Every area's catalogue, found on disk: a package of ``renovation/`` is an area, its templates live
    in ``templates/<area>/``. Core knows no area by name (docs/architecture.md)."""
    areas = sorted(p.name for p in PACKAGE_DIR.iterdir()
                   if p.is_dir() and p.name != "core" and (p / "__init__.py").exists())
    return {
        "core": ["renovation/__init__.py", "renovation/core", "templates/base.html", "templates/errors",
                 "templates/_macros"],
        **{area: [f"renovation/{area}", f"templates/{area}"] for area in areas},
    }


#: Catalogue name (a folder of ``renovation/``) -> the sources its messages are extracted from, relative
#: to the project root.
CATALOGUES: dict[str, list[str]] = _catalogues()
babel = Babel()
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The reader's language: the ``lang`` cookie when it names one of :data:`LANGUAGES`, else zh_CN.

    The browser's Accept-Language is deliberately not followed: the product's language is Chinese and an
    English interface is an explicit choice (a squad member's phone set to English still sees Chinese).
    """
    chosen = request.cookies.get(LANG_COOKIE, "") if request else ""
    return chosen if chosen in LANGUAGES else DEFAULT_LOCALE


def current_language() -> str:
    """'zh_CN' or 'en' for the current request (zh_CN outside a request)."""
    locale = get_locale()
    return str(locale) if locale is not None and str(locale) in LANGUAGES else DEFAULT_LOCALE


def large_text() -> bool:
    """True when the reader switched on the larger-text mode (``text_size`` cookie = 'large')."""
    return bool(request) and request.cookies.get(TEXT_SIZE_COOKIE) == "large"


@contextmanager
def chinese():
    """Render what is inside in Chinese whatever the reader chose: official documents (PDF reports,
    public notices, ledgers) and anything stored in the database."""
    with force_locale(DEFAULT_LOCALE):
        yield


# ---------------------------------------------------------------- formatting (template filters)

def _locale() -> str:
    return current_language()


def format_date(value: date | datetime | None) -> str:
    """A date in the reader's language: '2026年11月29日' (zh_CN) or 'November 29, 2026' (en); datetimes are
    first converted to Asia/Shanghai; '' for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return babel_dates.format_date(value, "long", locale=_locale())


def format_datetime(value: datetime | None) -> str:
    """A moment in Asia/Shanghai: '2026年11月29日 18:02' (zh_CN) or 'November 29, 2026 18:02' (en); '' for None.

    Stored datetimes are UTC-aware; a naive one is taken as UTC.
    """
    if value is None:
        return ""
    local = to_local(value)
    return f"{format_date(local.date())} {local:%H:%M}"


def yuan(value) -> str:
    """Money in yuan: '¥1,234.50' (zh_CN) or 'CN¥1,234.50' (en), two decimals; '' for None."""
    if value is None:
        return ""
    return babel_numbers.format_currency(Decimal(value), "CNY", locale=_locale())


def wan_yuan(value) -> str:
    """A large sum for leaders, from a number of yuan: '123.45万元' (zh_CN, 1 万元 = 10,000 yuan) or
    'CN¥1.23M' (en); '' for None."""
    if value is None:
        return ""
    amount = Decimal(value)
    if _locale() == DEFAULT_LOCALE:
        return babel_numbers.format_decimal(amount / 10000, "#,##0.00", locale=_locale()) + "万元"
    return babel_numbers.format_compact_currency(amount, "CNY", locale=_locale(), fraction_digits=2)


def number(value, digits: int = 0) -> str:
    """A number with thousands separators and ``digits`` decimals ('1,234', '1,234.5'); '' for None."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_numbers.format_decimal(Decimal(str(value)), pattern, locale=_locale())


def percent(value, digits: int = 1) -> str:
    """A fraction 0..1 (Fraction, float or Decimal) as a percentage with ``digits`` decimals: '66.7%'; ''
    for None."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return babel_numbers.format_percent(Decimal(str(float(value))), pattern, locale=_locale())


# ---------------------------------------------------------------- switching

def _safe_next(target: str | None) -> str:
    """A same-site path to go back to (never another host: no open redirect), else '/'. A full URL of
    this very host (the Referer) is cut down to its path."""
    if target and not target.startswith("/"):
        parts = urlsplit(target)
        if parts.netloc == request.host:
            target = parts.path + ("?" + parts.query if parts.query else "")
    return target if is_safe_next(target) else "/"


def _remember(cookie: str, value: str):
    response = make_response(redirect(_safe_next(request.args.get("next") or request.referrer)))
    response.set_cookie(cookie, value, max_age=_ONE_YEAR, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    return response


@bp.route("/language/<code>")
def switch_language(code: str):
    """Choose the interface language ('zh_CN' or 'en'; anything else means zh_CN), then go back to
    ``next`` (a same-site path) or the page the link was on."""
    return _remember(LANG_COOKIE, code if code in LANGUAGES else DEFAULT_LOCALE)


@bp.route("/text-size/<size>")
def switch_text_size(size: str):
    """Switch the larger-text mode ('large') on or off ('normal'; anything else means normal), then go
    back like :func:`switch_language`."""
    return _remember(TEXT_SIZE_COOKIE, size if size in TEXT_SIZES else "normal")


def init_app(app: Flask) -> None:
    """Bind Flask-Babel (zh_CN default, Asia/Shanghai), the formatting filters and the switch routes."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(
        str(PACKAGE_DIR / name / "translations") for name in CATALOGUES))
    babel.init_app(app, locale_selector=select_locale)
    # Each request chooses afresh (Flask-Babel caches the choice on ``g``, which an app context
    # shared by several requests, as in tests and CLI commands, would otherwise carry over).
    app.before_request(refresh)
    app.jinja_env.filters.update(
        date_cn=format_date, datetime_cn=format_datetime, yuan=yuan, wan_yuan=wan_yuan, percent=percent,
        number=number,
    )

    @app.context_processor
    def _display_preferences():
        lang = current_language()
        return {
            "LANGUAGES": LANGUAGES,
            "current_language": lang,
            "html_lang": "zh-CN" if lang == DEFAULT_LOCALE else lang,
            "large_text": large_text(),
        }

    app.register_blueprint(bp)


# ---------------------------------------------------------------- catalogues (flask translate)

def catalogue_dir(name: str) -> Path:
    """``renovation/<name>/translations`` (holding ``en/LC_MESSAGES/messages.po`` and ``.mo``)."""
    return PACKAGE_DIR / name / "translations"


def extract(name: str):
    """The messages of catalogue ``name`` as a babel Catalog, extracted from its sources (_, _l, ngettext,
    pgettext, lazy_pgettext in Python; _, gettext, ngettext, trans blocks in templates). Raises KeyError for an unknown name."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file

    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_pgettext": ((1, "c"), 2)}
    method_map = [("**.py", "python"), ("**.html", "jinja2")]
    catalog = Catalog(locale="en", project="renovation")
    for source in CATALOGUES[name]:
        path = PROJECT_DIR / source
        if path.is_dir():
            found = extract_from_dir(str(path), method_map, keywords=keywords)
            found = ((str(Path(source) / fn), lineno, msg, comments, ctx)
                     for fn, lineno, msg, comments, ctx in found)
        elif path.exists():
            method = "jinja2" if path.suffix == ".html" else "python"
            found = ((source, lineno, msg, comments, ctx)
                     for lineno, msg, comments, ctx in extract_from_file(method, str(path), keywords=keywords))
        else:
            continue
        for filename, lineno, message, comments, context in found:
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _po_path(name: str) -> Path:
    return catalogue_dir(name) / "en" / "LC_MESSAGES" / "messages.po"


def read_catalogue(name: str):
    """The English catalogue ``name`` as written in its .po file (an empty Catalog when there is none)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = _po_path(name)
    if not path.exists():
        return Catalog(locale="en")
    with path.open("rb") as fh:
        return read_po(fh, locale="en")


def untranslated(name: str) -> list[str]:
    """The msgids of catalogue ``name``'s sources with no English in its .po (or marked fuzzy)."""
    written = read_catalogue(name)
    missing = []
    for message in extract(name):
        if not message.id:
            continue
        have = written.get(message.id, context=message.context)
        strings = have.string if have is not None else ""
        ok = have is not None and "fuzzy" not in have.flags and (
            all(strings) if isinstance(strings, tuple) else bool(strings))
        if not ok:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def conflicts() -> dict[tuple[str | None, str], dict[str, str]]:
    """Messages (context, msgid) translated differently by two catalogues: {(ctx, msgid): {catalogue:
    English}}. Flask-Babel merges the catalogues into one table, so only one English can show everywhere;
    a word that means different things in two places needs a context (``pgettext``)."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for name in CATALOGUES:
        for message in read_catalogue(name):
            if not message.id or not message.string:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            string = message.string if isinstance(message.string, str) else message.string[0]
            seen.setdefault((message.context, msgid), {})[name] = string
    return {key: found for key, found in seen.items() if len(set(found.values())) > 1}


def update_catalogue(name: str) -> int:
    """Re-extract catalogue ``name`` into its .po: new messages come in untranslated, translations of
    messages still in the sources are kept, messages gone from the sources are dropped. Returns the
    number of messages."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    old = read_catalogue(name)
    fresh = Catalog(locale="en", project="renovation", version="1", fuzzy=False)
    for message in extract(name):
        if not message.id:
            continue
        prev = old.get(message.id, context=message.context)
        empty = ("", "") if isinstance(message.id, tuple) else ""
        fresh.add(message.id, prev.string if prev is not None else empty, message.locations,
                  auto_comments=message.auto_comments, context=message.context)
    path = _po_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, fresh, width=110, sort_output=False)
    return len(fresh)


def compile_catalogue(name: str) -> None:
    """Write catalogue ``name``'s .mo from its .po (what Flask-Babel reads)."""
    from babel.messages.mofile import write_mo

    catalog = read_catalogue(name)
    with (_po_path(name).with_suffix(".mo")).open("wb") as fh:
        write_mo(fh, catalog)
