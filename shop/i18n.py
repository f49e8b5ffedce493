"""Language choice: 简体中文 first, English with ?lang=en (remembered in the session)."""

from __future__ import annotations

from flask import request, session
from flask_babel import get_locale

LANGUAGES = ("zh", "en")


def select_locale() -> str:
    """The ?lang= argument, then the session's choice, then Chinese."""
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        if session.get("lang") != lang:
            session["lang"] = lang
        return lang
    return session.get("lang") if session.get("lang") in LANGUAGES else "zh"


def current() -> str:
    """The language of this request, "zh" or "en"."""
    return str(get_locale() or "zh")[:2]


def pick(obj, field: str = "name") -> str:
    """The English name of a catalog object when English is shown and it has one."""
    if current() == "en":
        return getattr(obj, f"{field}_en", None) or getattr(obj, field)
    return getattr(obj, field)

