"""Request contracts declared once: a pydantic model validates the request and becomes its OpenAPI schema.

A view declares what it accepts with ``@body(Model)`` (a JSON body) and/or
``@query(Model)`` (query-string arguments) and reads the parsed values from
``g.body`` / ``g.query``. ``web/openapi`` takes each operation's request
schema from the same model (``Model.model_json_schema()``), so the document
cannot drift from what the server checks (tests/server/test_openapi.py).

Why pydantic with a small decorator rather than spectree or flask-openapi3:
both wrap the view and answer validation failures in their own body and
status (422); ours is the one JSON error shape with messages a person can act
on ("Missing field 'body'."), and the rest of the document (responses,
errors, CSRF header) is already written per area. The validation itself is
pydantic's.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from flask import current_app, g, request
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
)

from comments_server.web.errors import ApiError

# Row ids are SQLite integers: anything past 2^63 - 1 cannot name a row.
RowId = Annotated[int, Field(ge=0, le=2**63 - 1, strict=True)]
NonBlank = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]


def _flag(value, info: ValidationInfo):
    """Keep a JSON boolean; anything else (1, "true") is refused naming the field."""
    if not isinstance(value, bool):
        raise ValueError(f"'{info.field_name}' must be true or false.")
    return value


Flag = Annotated[bool, BeforeValidator(_flag)]

def _comment_text(value: Any, info: ValidationInfo) -> str:
    """Non-empty Markdown within MAX_COMMENT_CHARS; the 400 names the field."""
    name = info.field_name
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"Write something first: '{name}' must be non-empty Markdown text.")
    most = current_app.config["MAX_COMMENT_CHARS"]
    if len(value) > most:
        raise ValueError(f"'{name}' is too long: at most {most} characters.")
    return value


# What the document says of text a person writes: a string with something other than spaces in it (the
# servers' own limit on length is MAX_COMMENT_CHARS, 20000 by default).
# (the control characters \x1c-\x1f and \x85 are spaces to Python's strip(), not to every regex engine's \s)
NOT_BLANK = "[^\\s\\x1c-\\x1f\\x85]"
TEXT_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 20000, "pattern": NOT_BLANK}
# Markdown a person writes (a comment, a plan, a debrief, a review): non-empty, at most MAX_COMMENT_CHARS
CommentText = Annotated[Any, PlainValidator(_comment_text), WithJsonSchema(TEXT_SCHEMA)]


class Body(BaseModel):
    """A JSON request body: unknown fields are refused, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """Query-string arguments: strings from the URL are converted; unknown arguments are ignored.

    Frozen: one parsed query string is shared by every request that sends it (:func:`query`).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)


def _messages(error: ValidationError) -> list[str]:
    """Turn pydantic's errors into sentences that say what is wrong and how to fix it."""
    out = []
    for item in error.errors(include_url=False):
        field = ".".join(str(p) for p in item["loc"])
        kind = item["type"]
        if kind == "missing":
            out.append(f"Missing field '{field}'.")
        elif kind == "extra_forbidden":
            out.append(f"Unknown field '{field}'.")
        elif kind in ("model_type", "model_attributes_type", "dict_type") and not field:
            out.append("The request body must be a JSON object.")
        elif kind == "value_error":  # our own validators' sentences pass through as they are
            out.append(str(item["ctx"]["error"]))
        else:
            out.append(f"'{field}': {item['msg']}.")
    return out


def _parse(model, data):
    """Validate ``data`` against ``model``; answer 400 with every problem at once."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ApiError(400, *_messages(error)) from None


def body(model, *, allow_empty=False):
    """Validate the JSON body against ``model`` into ``g.body``; ``allow_empty`` accepts no body as ``{}``."""

    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            if allow_empty and not request.get_data(cache=True):
                data = {}
            else:
                data = request.get_json(silent=True)
                if not isinstance(data, dict):
                    raise ApiError(400, "The request body must be a JSON object.")
            g.body = _parse(model, data)
            return view(*args, **kwargs)

        checked.request_model = model
        return checked

    return wrap


_QUERIES = {}  # (model, raw query string) -> its parsed arguments: a page or a bell asks the same again and again
_QUERIES_KEPT = 4096


def query(model):
    """Validate the query string against ``model`` into ``g.query`` (a query string parsed once per process)."""

    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            key = (model, request.query_string)
            parsed = _QUERIES.get(key)
            if parsed is None:
                parsed = _parse(model, request.args.to_dict())  # a refused one raises: nothing is kept
                if len(_QUERIES) >= _QUERIES_KEPT:
                    _QUERIES.clear()
                _QUERIES[key] = parsed
            g.query = parsed
            return view(*args, **kwargs)

        checked.query_model = model
        return checked

    return wrap


class NoFields(Body):
    """A state-changing request without fields: ``{}`` (or no body with ``allow_empty``)."""


# --------------------------------------------------------------------------- shared field types (slice A)
# Each says what is wrong in the sentence the API has always answered with.


MAX_TITLE = 200


def _title(value, info):
    """A non-empty one-line title of at most MAX_TITLE characters; inner whitespace is collapsed."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"Give it a title: '{info.field_name}' must be non-empty text.")
    value = " ".join(value.split())
    if len(value) > MAX_TITLE:
        raise ValueError(f"'{info.field_name}' is too long: at most {MAX_TITLE} characters.")
    return value


TITLE_SCHEMA = {"type": "string", "minLength": 1, "maxLength": MAX_TITLE, "pattern": NOT_BLANK}
Title = Annotated[str, BeforeValidator(_title), WithJsonSchema(TITLE_SCHEMA)]


def WholeNumber(low: int, high: int):  # noqa: N802 - a type factory, used like a type
    """An integer query argument within [low, high], written in ASCII digits (no Unicode digits, no sign)."""

    def check(value, info):
        if isinstance(value, str) and not (value.isascii() and value.isdigit()):
            raise ValueError(f"'{info.field_name}' must be a whole number.")
        number = int(value)
        if not low <= number <= high:
            raise ValueError(f"'{info.field_name}' must be between {low} and {high}.")
        return number

    return Annotated[int, BeforeValidator(check), Field(json_schema_extra={"minimum": low, "maximum": high})]


def _comment_id(value, info):
    """A comment id, with the sentence the comment API has always used (``7.0`` is JSON Schema's integer 7)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise ValueError(f"'{info.field_name}' must be a comment id (a number).")
    return value


CommentId = Annotated[int, BeforeValidator(_comment_id),
                      WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 2**63 - 1})]


class Page(Query):
    """?after=<comment id>&limit=<1..200>: one page of a thread, oldest first."""

    after: WholeNumber(0, 2**62) = 0
    limit: WholeNumber(1, 200) = 100
