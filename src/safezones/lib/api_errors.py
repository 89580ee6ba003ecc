"""The shapes of API error answers, declared so the OpenAPI schema lists them."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]]


READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
# 400: a body that is not JSON at all ("Cannot parse request body").
WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, **READ_ERRORS, 422: ValidationErrorOut}
