"""Shared pieces of the JSON API: pagination envelope, the object loaders, the id route converter."""

from urllib.parse import urlencode

import flask_smorest
import orjson
import sqlalchemy as sa
from flask import Response, after_this_request, request
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as SchemaError
from webargs.flaskparser import FlaskParser
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


class _OneSchemaPerClassParser(FlaskParser):
    """webargs makes a new schema from a schema class on every request (~0.1 ms); a marshmallow schema keeps
    nothing between loads, so one instance per class serves them all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schemas: dict[type, Schema] = {}

    def _get_schema(self, argmap, req):
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)


class Blueprint(flask_smorest.Blueprint):
    """The API's blueprints: flask-smorest's, with the argument parser above."""

    ARGUMENTS_PARSER = _OneSchemaPerClassParser()


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


def page_envelope(items: list, args: dict, count) -> dict:
    """{"items", "meta"} for one page, its neighbours in a `Link` header; `count()` gives the total and is not
    run when this page shows it all."""
    page, per_page = args["page"], args["per_page"]
    # A first page that is not full holds everything: no need to ask the database to count.
    total = len(items) if page == 1 and len(items) < per_page else count()
    pages = -(-total // per_page)
    links = _page_links(page, per_page, pages)

    @after_this_request
    def _link_header(response):
        response.headers["Link"] = links
        return response

    return {
        "items": items,
        "meta": {"page": page, "per_page": per_page, "total": total, "pages": pages},
    }


def _page_links(number: int, per_page: int, pages: int) -> str:
    """RFC 8288 links (relative: never built from the request's Host header) to the neighbouring pages."""
    last = max(pages, 1)
    targets = {"first": 1, "last": last}
    if number > 1:
        targets["prev"] = min(number - 1, last)
    if number < last:
        targets["next"] = number + 1
    query = request.args.to_dict()
    links = []
    for rel, target in targets.items():
        query.update(page=str(target), per_page=str(per_page))
        links.append(f'<{request.path}?{urlencode(query)}>; rel="{rel}"')
    return ", ".join(links)


def json_response(document) -> Response:
    """A JSON response for a large document of plain values (str, int, float, bool, None, lists, dicts).

    orjson encodes a 100-row list ~10× faster than the standard library; keys are sorted, as Flask does.
    """
    return Response(orjson.dumps(document, option=orjson.OPT_SORT_KEYS), mimetype="application/json")


def count_of(stmt: sa.Select) -> int:
    """How many rows `stmt` selects, counted by the database over its FROM and WHERE only.

    (Flask-SQLAlchemy counts over a subquery of every selected column.) Only a statement with GROUP BY
    or DISTINCT, whose rows are groups or distinct values, is still counted over its subquery.
    """
    if stmt._group_by_clauses or stmt._distinct:
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(stmt.order_by(None).limit(None).offset(None).subquery())
        )
    counting = stmt.with_only_columns(sa.func.count(), maintain_column_froms=True)
    return db.session.scalar(counting.order_by(None).limit(None).offset(None))


def paginate(stmt: sa.Select, args: dict) -> dict:
    page, per_page = args["page"], min(args["per_page"], MAX_PER_PAGE)
    items = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).unique().scalars().all()
    return page_envelope(items, {"page": page, "per_page": per_page}, lambda: count_of(stmt))


def get_or_404(model, ident, message: str | None = None):
    obj = db.session.get(model, ident)
    if obj is None:
        raise NotFound(message or _("Not found."))
    return obj


def filter_args() -> dict:
    """The page's query arguments but `page`, for the pager's links (a filtered list keeps its filters)."""
    from flask import request

    return {key: value for key, value in request.args.items() if key != "page"}


def page_listing(stmt: sa.Select, *, per_page: int = 50) -> dict:
    """One page of a list for an HTML page (`?page=n`), with the same {"items", "meta"} as the API."""
    from flask import request

    page = request.args.get("page", 1, type=int) or 1
    return paginate(stmt, {"page": min(max(page, 1), 100_000), "per_page": per_page})


# Bilingual content: English in `<field>`, Chinese in `<field>_zh`, one schema field per language.
CHINESE_HELP = "Chinese wording; empty when there is none."


def english_field(description: str = "English wording; empty when there is none.", **kwargs) -> fields.Str:
    """The English field of a bilingual pair, documented as such."""
    return fields.Str(metadata={"description": description}, **kwargs)


def chinese_field(description: str = CHINESE_HELP, **kwargs) -> fields.Str:
    """The Chinese `<field>_zh` of a bilingual pair, documented as such."""
    return fields.Str(metadata={"description": description}, **kwargs)


def one_language_of(*names: str):
    """A schema validator: each named bilingual field needs its English or its Chinese wording (or both).

    Named beside the other missing fields; a partial (update) schema leaves it to the service, which sees the
    stored wording too.
    """
    from engage.messages import N_

    @validates_schema(skip_on_field_errors=False)
    def check(self, data, **kwargs):
        if self.partial:
            return
        message = N_("Enter it in English or in Chinese (or both).")
        errors = {}
        for name in names:
            if not (data.get(name) or "").strip() and not (data.get(f"{name}_zh") or "").strip():
                errors[name] = errors[f"{name}_zh"] = [message]
        if errors:
            raise SchemaError(errors)

    return check


def one_language_required(data: dict, field: str, message: str, errors: dict[str, list[str]]) -> None:
    """A bilingual field needs its English or its Chinese wording (or both): the error goes on both fields."""
    if not (data.get(field) or "").strip() and not (data.get(f"{field}_zh") or "").strip():
        errors[field] = [message]
        errors[f"{field}_zh"] = [message]
