"""Text messages (SMS) behind one small interface: :func:`send_sms(phone, template, params) <send_sms>`.

The backend is chosen by configuration (``RENOVATION_SMS_BACKEND``):

- ``console`` (the default): the message is written to the log and kept in a short outbox in memory
  (:func:`outbox`), so ``make run`` works with no SMS account and development pages may show a code;
- a production backend for a real provider, registered with :func:`register_backend` (docs/deploy.md).

Templates are named (``'verify_code'``), with their Chinese text registered by the area that sends them
(:func:`register_template`); a provider backend maps the name to the provider's approved template code
(China's SMS providers only send pre-approved templates with parameters). Tests never call a provider:
its backend is tested against a local fake server that answers as the provider's documented API does.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from renovation.core.errors import DomainError

_KEY = "renovation.sms"
log = logging.getLogger("renovation.sms")
OUTBOX_SIZE = 200


class SmsError(DomainError):
    """The message could not be sent (provider refused, timed out, not configured); ``message`` says so
    in the reader's language. Raised before anything is recorded as sent."""

    status_code = 503

    def __init__(self, message: str = _l("短信发送失败，请稍后再试。")):
        super().__init__(message)


@dataclass(frozen=True)
class SentSms:
    """A message handed to the provider: ``provider_id`` is the provider's id for it (the console backend
    makes one up); ``text`` the rendered Chinese text; ``parts``: billed segments (70 characters each)."""

    phone: str
    template: str
    params: dict
    text: str
    provider_id: str
    parts: int


class SmsBackend(Protocol):
    """What a backend does: send one templated message or raise SmsError."""

    def send(self, phone: str, template: str, params: dict, text: str) -> SentSms: ...


def _state(app: Flask) -> dict:
    return app.extensions.setdefault(_KEY, {"templates": {}, "backends": {"console": ConsoleBackend},
                                            "outbox": deque(maxlen=OUTBOX_SIZE)})


def register_template(app: Flask, name: str, text: str) -> None:
    """Register the Chinese text of template ``name`` with ``{param}`` placeholders, e.g.
    ``'您的验证码是{code}，5分钟内有效。'``. The signature (【…】) is the provider's, not part of the text."""
    _state(app)["templates"][name] = text


def register_backend(app: Flask, name: str, factory: Callable[[Flask], SmsBackend]) -> None:
    """Make backend ``name`` available to RENOVATION_SMS_BACKEND; ``factory(app)`` builds it."""
    _state(app)["backends"][name] = factory


def render(template: str, params: dict) -> str:
    """The text of ``template`` with ``params`` filled in. Raises KeyError for an unknown template."""
    return _state(current_app)["templates"][template].format(**params)


def segments(text: str) -> int:
    """Billed SMS parts: one up to 70 characters, else 67 per part (China's providers bill long messages
    by 67-character segments)."""
    return 1 if len(text) <= 70 else -(-len(text) // 67)


def send_sms(phone: str, template: str, params: dict) -> SentSms:
    """Send template ``template`` with ``params`` to mainland mobile ``phone`` (11 digits) through the
    configured backend. Raises SmsError (provider error, timeout, unknown backend) and KeyError for a
    template nobody registered."""
    state = _state(current_app)
    text = render(template, params)
    name = current_app.config.get("SMS_BACKEND", "console")
    factory = state["backends"].get(name)
    if factory is None:
        raise SmsError(_l("短信通道未配置（%(name)s），请联系管理员。", name=name))
    sent = factory(current_app).send(phone, template, dict(params), text)
    state["outbox"].append(sent)
    return sent


def outbox(phone: str | None = None) -> list[SentSms]:
    """The latest messages sent in this process (newest last), optionally only those to ``phone``: what
    the console backend 'sent', for development pages and tests."""
    return [m for m in _state(current_app)["outbox"] if phone is None or m.phone == phone]


class ConsoleBackend:
    """Development backend: writes the message to the log instead of sending it."""

    def __init__(self, app: Flask):
        self.counter = 0

    def send(self, phone: str, template: str, params: dict, text: str) -> SentSms:
        """Log the message and return it with a made-up provider id."""
        self.counter += 1
        log.info("SMS to %s (%s): %s", phone, template, text)
        return SentSms(phone=phone, template=template, params=params, text=text,
                       provider_id=f"console-{self.counter}", parts=segments(text))
