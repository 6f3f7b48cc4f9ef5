"""Shared pieces of the JSON API: pagination envelope, the object loaders, the id route converter."""

import sqlalchemy as sa
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from werkzeug.routing import IntegerConverter

from engage.errors import NotFound
from engage.extensions import db

MAX_PER_PAGE = 100
# Ids are INTEGER columns; a larger number cannot be an id (and would make the database driver fail).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in routes takes at most 9 digits: a longer number cannot be an id, so it is a 404.

    (A bound checked after matching would make werkzeug answer 405 for the route's other methods.)
    """

    regex = r"\d{1,9}"


class PageArgs(Schema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageMeta(Schema):
    page = fields.Int()
    per_page = fields.Int()
    total = fields.Int()
    pages = fields.Int()


_page_schemas: dict[type, type] = {}


def page_of(item_schema: type[Schema]) -> type[Schema]:
    """A response schema {"items": [...], "meta": {...}} for a list endpoint."""
    if item_schema not in _page_schemas:
        _page_schemas[item_schema] = type(
            f"{item_schema.__name__.removesuffix('Schema')}PageSchema",
            (Schema,),
            {"items": fields.List(fields.Nested(item_schema)), "meta": fields.Nested(PageMeta)},
        )
    return _page_schemas[item_schema]


def paginate(stmt: sa.Select, args: dict) -> dict:
    page = db.paginate(stmt, page=args["page"], per_page=args["per_page"], max_per_page=MAX_PER_PAGE, error_out=False)
    return {
        "items": page.items,
        "meta": {"page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages},
    }


def get_or_404(model, ident, message: str | None = None):
    obj = db.session.get(model, ident)
    if obj is None:
        raise NotFound(message or _("Not found."))
    return obj


def page_listing(stmt: sa.Select, *, per_page: int = 50) -> dict:
    """One page of a list for an HTML page (`?page=n`), with the same {"items", "meta"} as the API."""
    from flask import request

    page = request.args.get("page", 1, type=int) or 1
    return paginate(stmt, {"page": min(max(page, 1), 100_000), "per_page": per_page})
