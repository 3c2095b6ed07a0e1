"""Reference lists, in the manner of the VNG Referentielijsten API: the codes an API accepts.

Every service serves the lists it owns at `GET /v1/reference` and `GET /v1/reference/{list}`
(items with `code`, a Dutch `label`, `description`, `validFrom`, `validTo`), so an integrator
never has to read our source to learn a code. The same lists give the OpenAPI enums
(`code_type`) and the 400 that names the list when a code is unknown (`unknown_code`).
Lists hold codes of national or domain vocabularies only, never personal data, so reading them
needs no token, like the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter
from pydantic import AfterValidator, Field, JsonValue

from shared.http.openapi import API_PREFIX, problem_response
from shared.http.schemas import ApiModel
from shared.organisations import GEMEENTEN
from shared.problems import BadRequest, InvalidParam, NotFound

REFERENCE_PATH = "/reference"


@dataclass(frozen=True)
class ReferenceItem:
    """One code with its Dutch label."""

    code: str
    label: str
    description: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    # The unit of a value given with this code (finance's parameter codes: "EUR/hour"); shown
    # only on items that have one, so other lists keep their shape.
    unit: str | None = None


@dataclass(frozen=True)
class ReferenceList:
    """A named list of codes (`constraint-codes`, `werksoorten`, …)."""

    name: str
    label: str
    description: str
    items: tuple[ReferenceItem, ...]
    _codes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_codes", frozenset(item.code for item in self.items))

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    @property
    def codes(self) -> list[str]:
        """The codes, in list order."""
        return [item.code for item in self.items]

    @property
    def url(self) -> str:
        """Where an integrator reads this list."""
        return f"{API_PREFIX}{REFERENCE_PATH}/{self.name}"

    def label_of(self, code: str) -> str:
        """The Dutch label of a code (the code itself when it is not on the list)."""
        return next((item.label for item in self.items if item.code == code), code)


CodeT = TypeVar("CodeT", bound=str)


def labelled_list(name: str, label: str, description: str,
                  labels: Mapping[CodeT, tuple[str, str]]) -> ReferenceList:
    """A list from a code → (label, description) mapping kept beside its enum."""
    return ReferenceList(name, label, description, tuple(
        ReferenceItem(code, item_label, item_description)
        for code, (item_label, item_description) in labels.items()))


def gemeenten_list(description: str) -> ReferenceList:
    """The gemeenten by CBS code (shared.organisations), as a service describes its use."""
    return ReferenceList("gemeenten", "Gemeenten", description, tuple(
        ReferenceItem(code, name, f"Gemeente {name} (CBS-code {code}).")
        for code, name in sorted(GEMEENTEN.items())))


def unknown_code_reason(reference: ReferenceList, value: object) -> str:
    """The sentence a 400 gives for a code that is not on its list."""
    return (f"unknown code {value!r} in list '{reference.name}' "
            f"(one of: {', '.join(reference.codes)}; see {reference.url})")


def unknown_code(reference: ReferenceList, name: str, value: object) -> BadRequest:
    """A 400 problem naming the field, the list and where to read it."""
    return BadRequest(f"{name}: not a code of the list '{reference.name}'",
                      invalid_params=[InvalidParam(name, unknown_code_reason(reference, value))])


def code_type(reference: ReferenceList) -> Any:
    """A str type that accepts only the list's codes and shows them as an OpenAPI enum."""

    def _known(value: str) -> str:
        if value not in reference:
            raise ValueError(unknown_code_reason(reference, value))
        return value

    enum: list[JsonValue] = list(reference.codes)
    return Annotated[str, AfterValidator(_known), Field(json_schema_extra={
        "enum": enum, "description": f"A code of {reference.url}."})]


def enum_type(reference: ReferenceList, enum: type[StrEnum]) -> Any:
    """A field type for an enum whose codes are a reference list: the codes as an OpenAPI enum,
    a 400 naming the list, and the handler receives the enum member. Refuses (at import) a list
    and an enum that do not hold the same codes."""
    if {member.value for member in enum} != set(reference.codes):
        raise ValueError(f"reference list {reference.name} differs from {enum.__name__}")
    return Annotated[code_type(reference), AfterValidator(enum)]


class ReferenceItemOut(ApiModel):
    """One code of a reference list."""

    code: str
    label: str
    description: str
    valid_from: date | None
    valid_to: date | None
    unit: str | None = Field(default=None, description="the unit of a value with this code "
                             "(e.g. EUR/hour); only on lists whose codes have one")


class ReferenceListSummary(ApiModel):
    """A list this service owns, without its items."""

    name: str
    label: str
    description: str
    url: str
    count: int


class ReferenceListsOut(ApiModel):
    """The reference lists this service owns."""

    lists: list[ReferenceListSummary]


class ReferenceListOut(ReferenceListSummary):
    """A reference list with its items."""

    items: list[ReferenceItemOut]


def _summary(reference: ReferenceList) -> dict[str, Any]:
    return {"name": reference.name, "label": reference.label,
            "description": reference.description, "url": reference.url,
            "count": len(reference.items)}


def reference_router(lists: Sequence[ReferenceList]) -> APIRouter:
    """`GET /reference` and `GET /reference/{list}` for the lists a service owns."""
    by_name = {reference.name: reference for reference in lists}
    if len(by_name) != len(lists):
        raise ValueError("two reference lists share a name")
    router = APIRouter(prefix=REFERENCE_PATH, tags=["reference"])

    @router.get("", response_model=ReferenceListsOut)
    async def list_reference_lists() -> ReferenceListsOut:
        """The reference lists this service owns (no token needed)."""
        return ReferenceListsOut.model_validate(
            {"lists": [_summary(reference) for reference in lists]})

    # exclude_unset: `unit` appears only on the items that have one.
    @router.get("/{name}", response_model=ReferenceListOut, response_model_exclude_unset=True,
                responses={404: problem_response("No such reference list")})
    async def read_reference_list(name: str) -> ReferenceListOut:
        """One reference list with its codes and Dutch labels (no token needed)."""
        reference = by_name.get(name)
        if reference is None:
            raise NotFound(f"no reference list '{name}' here; see {API_PREFIX}{REFERENCE_PATH}")
        items = [{"code": i.code, "label": i.label, "description": i.description,
                  "validFrom": i.valid_from, "validTo": i.valid_to,
                  **({"unit": i.unit} if i.unit is not None else {})} for i in reference.items]
        return ReferenceListOut.model_validate({**_summary(reference), "items": items})

    return router
