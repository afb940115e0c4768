"""Alert messages and their delivery through Apprise.

Evidence, titles and show names come from the web: every such value is cleaned (control
characters dropped, whitespace collapsed), truncated, then escaped for the format the target
renders (plain text, Markdown or HTML) before it is put into a message.

A delivery is marked sent only after Apprise reports success, so a crash in between sends it
again on the next run; the alert id in every message (also in a JSON payload's `alert_id`
and an e-mail's `X-Renewals-Alert-Id` header) lets a receiver drop the repeat.
"""

import functools
import html
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import apprise
import sqlite_utils

from storage import outbox
from storage.wording import status_words

EVIDENCE_MAX = 300
FIELD_MAX = 120
URL_MAX = 500
DIGEST_LINES_MAX = 50
# Where the alert id goes besides the text, for receivers that dedupe mechanically:
# a JSON webhook's payload field, an e-mail header (Apprise URL parameters `:field`, `+header`).
ID_PARAMETERS = {
    "json": ":alert_id",
    "jsons": ":alert_id",
    "mailto": "+X-Renewals-Alert-Id",
    "mailtos": "+X-Renewals-Alert-Id",
}
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # all ASCII punctuation (CommonMark)

Render = Callable[[apprise.NotifyFormat, bool], tuple[str, str]]


class TargetError(ValueError):
    """A target URL that cannot be used; the message never contains an expanded secret."""


# Characters a value keeps as they are, by the part of the URL its placeholder fills: a host
# or path may hold several of Apprise's /-separated tokens ("slack://${TOKENS}/#tv"), but no
# value may end the part it fills (an "@" in a password, a "#" in a token).
_SAFE_IN = {"userinfo": "", "host": "/:", "path": "/:", "query": "", "fragment": ""}


def _placeholder_parts(url: str) -> list[str]:
    """Which part of the URL each `${NAME}` in it fills, in order."""
    count = len(_PLACEHOLDER.findall(url))
    markers = iter(range(count))
    parts = urlsplit(_PLACEHOLDER.sub(lambda _: f"renewalsvar{next(markers)}x", url))
    userinfo, _, host = parts.netloc.rpartition("@")
    where = {"userinfo": userinfo, "host": host, "path": parts.path, "query": parts.query}
    where["fragment"] = parts.fragment
    return [
        next((part for part, text in where.items() if f"renewalsvar{i}x" in text), "path")
        for i in range(count)
    ]


def expand_url(url: str) -> tuple[str, dict[str, str]]:
    """The URL with each `${NAME}` replaced by the environment's value, URL-encoded for the
    part it fills, and the secrets put in (placeholder -> value)."""
    secrets: dict[str, str] = {}
    parts = iter(_placeholder_parts(url))

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise TargetError(f"environment variable {name} is not set")
        secrets[match.group(0)] = os.environ[name]
        return quote(os.environ[name], safe=_SAFE_IN[next(parts)])

    return _PLACEHOLDER.sub(value, url), secrets


def _scrub(text: str, secrets: dict[str, str]) -> str:
    for placeholder, secret in secrets.items():
        for form in dict.fromkeys(quote(secret, safe=safe) for safe in ["", *_SAFE_IN.values()]):
            if secret:
                text = text.replace(secret, placeholder).replace(form, placeholder)
    return text


_DELIMITERS = "/:@?&=#"
_TOKEN = re.compile(f"[^{re.escape(_DELIMITERS)}]+")
MASK = "****"
# URL parameters Apprise plugins take secrets in (mailto's ?pass=, ?token=, ?apikey=...)
_SECRET_PARAMETER = re.compile(
    r"[?&](pass|password|secret|token|key|apikey|api_key|access_token|webhook)=([^&#]*)", re.I
)


def _url_secrets(url: str) -> frozenset[str]:
    """The parts of a target URL that are passwords or tokens (see `_secrets_of`)."""
    try:
        expanded = expand_url(url)[0]
    except TargetError:
        expanded = None
    return _secrets_of(url, expanded)


@functools.lru_cache(maxsize=256)
def _secrets_of(url: str, expanded: str | None) -> frozenset[str]:
    """The userinfo password, and whatever Apprise's own privacy rendering of the URL masks
    (Slack tokens, API keys...). Cached by the URL and its `${ENV}` expansion: building the
    Apprise plugin is nearly all the cost, paid once per target, not once per line shown."""
    secrets: set[str] = set()
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        secrets.add(password)
    secrets.update(value for _, value in _SECRET_PARAMETER.findall(url) if value)
    try:
        plugin, _ = instantiate(url)
        plain, private = plugin.url(privacy=False), plugin.url(privacy=True)
    except Exception:  # an unusable URL: only its password is known to be secret
        return frozenset(secrets)
    plain_tokens, private_tokens = _TOKEN.findall(plain), _TOKEN.findall(private)
    if len(plain_tokens) == len(private_tokens):
        secrets |= {a for a, b in zip(plain_tokens, private_tokens, strict=True) if a != b}
    return frozenset(secret for secret in secrets if secret != MASK)


def mask_secrets(text: str, url: str) -> str:
    """`text` (the URL itself, an error about it) with the URL's secrets replaced by ****."""
    for secret in sorted(_url_secrets(url), key=len, reverse=True):
        for form in dict.fromkeys([secret, quote(secret, safe=""), unquote(secret)]):
            edge = re.escape(_DELIMITERS)
            text = re.sub(f"(?<![^{edge}]){re.escape(form)}(?![^{edge}])", MASK, text)
    return text


def mask_url(url: str) -> str:
    """A target URL fit to show or log: passwords and tokens replaced by ****."""
    return mask_secrets(url, url)


def instantiate(url: str, alert_id: str | None = None) -> tuple[Any, dict[str, str]]:
    """The Apprise plugin for a configured URL, raising TargetError when it is unusable."""
    expanded, secrets = expand_url(url)
    parts = urlsplit(expanded)
    parameter = ID_PARAMETERS.get(parts.scheme.lower())
    if alert_id is not None and parameter is not None:
        extra = f"{quote(parameter)}={quote(alert_id)}"
        expanded = urlunsplit(parts._replace(query=f"{parts.query}&{extra}".lstrip("&")))
    plugin = apprise.Apprise.instantiate(expanded)
    if plugin is None:
        raise TargetError("not a usable Apprise URL")
    return plugin, secrets


def send(url: str, render: Render, alert_id: str | None = None) -> str | None:
    """Send one message; None when delivered, else a one-line reason (secrets scrubbed)."""
    secrets: dict[str, str] = {}
    try:
        plugin, secrets = instantiate(url, alert_id)
        body_format = plugin.resolve_format(None)
        title, body = render(body_format, plugin.title_maxlen <= 0)
        notifier = apprise.Apprise()
        notifier.add(plugin)
        result = notifier.notify(body=body, title=title, body_format=body_format)
        if result:
            return None
        reasons = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR")]
        error = "; ".join(dict.fromkeys(reasons)) or "not delivered"
    except TargetError as problem:
        error = str(problem)
    except Exception as problem:  # a plugin bug must cost one delivery, never the crawl
        error = f"{type(problem).__name__}: {problem}"
    return mask_secrets(_scrub(" ".join(error.split()), secrets), url)[:500]


# --- formatting ---------------------------------------------------------------------------


def clean(value: Any, limit: int = FIELD_MAX) -> str:
    """Untrusted text as one line: control and format characters gone, at most `limit`."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in str(value)
        if unicodedata.category(ch) != "Cf"
    )
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape(text: str, body_format: apprise.NotifyFormat) -> str:
    if body_format == apprise.NotifyFormat.HTML:
        return html.escape(text, quote=True)
    if body_format == apprise.NotifyFormat.MARKDOWN:
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text


def _state(status: str | None, season: int | None) -> str:
    return status_words(status, season)


def _link(url: str | None, body_format: apprise.NotifyFormat) -> str:
    """The article URL, as a link only when it is http(s); never a javascript: link."""
    text = clean(url or "unknown", URL_MAX)
    if not url or text != url or not re.match(r"https?://[^\s<>\"]+$", url, re.IGNORECASE):
        return escape(text, body_format)
    if body_format == apprise.NotifyFormat.HTML:
        return f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>'
    if body_format == apprise.NotifyFormat.MARKDOWN:
        return "<" + quote(url, safe=":/?#[]@!$&'()*+,;=%~") + ">"
    return url


def change_title(message: dict[str, Any]) -> str:
    """Plain text: most targets show the title unformatted (an e-mail subject)."""
    return clean(
        f"{clean(message['show'], FIELD_MAX)}: "
        f"{_state(message['from_status'], message['from_season'])} -> "
        f"{_state(message['to_status'], message['to_season'])}",
        250,
    )


def render_change(
    message: dict[str, Any], alert_id: str, body_format: apprise.NotifyFormat, blended: bool
) -> tuple[str, str]:
    """Title and body for one change; `blended` targets show the title inside the body."""

    def esc(value: Any, limit: int = FIELD_MAX) -> str:
        return escape(clean("unknown" if value is None else value, limit), body_format)

    title = change_title(message)
    fields = [
        ("Network", esc(message.get("network"))),
        ("Announced", esc(message.get("announced"))),
        ("Source", esc(message.get("source"))),
        ("Article", _link(message.get("url"), body_format)),
    ]
    evidence = esc(message.get("evidence") or "", EVIDENCE_MAX)
    arrow = " -&gt; " if body_format == apprise.NotifyFormat.HTML else " -> "
    change = (
        f"{esc(message['show'])}: {esc(_state(message['from_status'], message['from_season']))}"
        f"{arrow}{esc(_state(message['to_status'], message['to_season']))}"
    )
    if body_format == apprise.NotifyFormat.HTML:
        items = "".join(f"<li>{name}: {value}</li>" for name, value in fields)
        body = (
            f"<p><b>{change}</b></p><ul>{items}</ul>"
            f"<blockquote>&ldquo;{evidence}&rdquo;</blockquote>"
            f"<p>Alert id: {alert_id}</p>"
        )
    elif body_format == apprise.NotifyFormat.MARKDOWN:
        lines = [f"**{change}**", ""]
        lines += [f"- {name}: {value}" for name, value in fields]
        lines += ["", f"> {evidence}", "", f"Alert id: `{alert_id}`"]
        body = "\n".join(lines)
    else:
        lines = [change, *(f"{name}: {value}" for name, value in fields)]
        lines += [f'Evidence: "{evidence}"', f"Alert id: {alert_id}"]
        body = "\n".join(lines)
    return (escape(title, body_format) if blended else title), body


def render_digest(
    deliveries: list[dict[str, Any]], body_format: apprise.NotifyFormat, blended: bool
) -> tuple[str, str]:
    """One summary for many changes: a line each (up to DIGEST_LINES_MAX) with its alert id."""
    title = f"renewals: {len(deliveries)} status changes"
    lines = []
    for delivery in deliveries[:DIGEST_LINES_MAX]:
        message = delivery["message"]
        text = escape(clean(change_title(message), 250), body_format)
        link = _link(message.get("url"), body_format)
        identifier = delivery["alert_id"]
        if body_format == apprise.NotifyFormat.MARKDOWN:
            identifier = f"`{identifier}`"
        lines.append(f"{text} ({link}) id {identifier}")
    if len(deliveries) > DIGEST_LINES_MAX:
        lines.append(f"... and {len(deliveries) - DIGEST_LINES_MAX} more: see `renewals changes`")
    if body_format == apprise.NotifyFormat.HTML:
        body = "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"
    elif body_format == apprise.NotifyFormat.MARKDOWN:
        body = "\n".join(f"- {line}" for line in lines)
    else:
        body = "\n".join(lines)
    return (escape(title, body_format) if blended else title), body


def digest_id(deliveries: list[dict[str, Any]]) -> str:
    """Stable for the same set of changes, so a digest re-sent after a crash dedupes too."""
    ids = sorted(delivery["change_id"] for delivery in deliveries)
    return f"renewals-digest-{ids[0]}-{ids[-1]}-{len(ids)}"


def render_test(body_format: apprise.NotifyFormat, blended: bool) -> tuple[str, str]:
    return "renewals: test alert", "This target is set up: renewals can send alerts to it."


# --- delivery -----------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


def deliver_pending(
    db: sqlite_utils.Database, *, due_only: bool = True, now: datetime | None = None
) -> DeliveryReport:
    """Send the pending deliveries (`due_only`: those not backing off), as `deliver` says."""
    return deliver(db, outbox.pending_deliveries(db, now=now, due_only=due_only), now=now)


def deliver(
    db: sqlite_utils.Database, deliveries: list[dict[str, Any]], now: datetime | None = None
) -> DeliveryReport:
    """Send these deliveries (rows of `storage.outbox.pending_deliveries`), target by target;
    a run's changes beyond the target's digest threshold go as one digest. Each send is booked
    at once, in its own short transaction.

    Once a send to a target fails, its other deliveries are booked as failed attempts with the
    same error without trying them: a hung receiver costs one timeout per pass, not one each.
    """
    report = DeliveryReport()
    down: dict[int, str] = {}  # target id -> the error that made it down for this pass
    groups: dict[tuple[int, Any], list[dict[str, Any]]] = {}
    for delivery in deliveries:
        groups.setdefault((delivery["target_id"], delivery["message"]["run_id"]), []).append(
            delivery
        )
    for batch in groups.values():
        url = batch[0]["url"]
        if len(batch) > batch[0]["digest_after"]:
            units = [(batch, digest_id(batch), _digest_renderer(batch))]
        else:
            units = [([d], d["alert_id"], _change_renderer(d)) for d in batch]
        target = batch[0]["target_id"]
        for deliveries, identifier, render in units:
            if target in down:
                error = f"not tried, the target failed just before: {down[target]}"
            else:
                error = send(url, render, identifier)
                if error is not None:
                    down[target] = error
                    report.errors.append(f"{mask_url(url)}: {error}")
            rows = outbox.record_attempt(db, [d["id"] for d in deliveries], error, now=now)
            for row in rows:
                if row["status"] == "sent":
                    report.sent += 1
                elif row["status"] == "failed":
                    report.failed += 1
                else:
                    report.retrying += 1
    return report


def _change_renderer(delivery: dict[str, Any]) -> Render:
    return lambda body_format, blended: render_change(
        delivery["message"], delivery["alert_id"], body_format, blended
    )


def _digest_renderer(batch: list[dict[str, Any]]) -> Render:
    return lambda body_format, blended: render_digest(batch, body_format, blended)
