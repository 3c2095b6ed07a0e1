"""Page-based pagination (`page`, `pageSize`, 1-based) with an RFC 8288 Link header."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel

MAX_PAGE_SIZE = 100
PageT = TypeVar("PageT", bound=BaseModel)


@dataclass(frozen=True)
class PageParams:
    """The requested page."""

    page: int
    page_size: int

    @property
    def offset(self) -> int:
        """Rows to skip."""
        return (self.page - 1) * self.page_size


def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")] = 1,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=MAX_PAGE_SIZE,
                                    description="items per page")] = 20,
) -> PageParams:
    """FastAPI dependency for the two query keys."""
    return PageParams(page=page, page_size=page_size)


def last_page(total: int, page_size: int) -> int:
    """The number of the last page (1 for an empty collection)."""
    return max(1, -(-total // page_size))


def set_link_header(request: Request, response: Response, params: PageParams, total: int) -> None:
    """first/prev/next/last links that keep every other query key."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in {"page", "pageSize"}]
    last = last_page(total, params.page_size)

    def url(page: int) -> str:
        keys = [*query, ("page", str(page)), ("pageSize", str(params.page_size))]
        return f"{request.url.path}?{urlencode(keys)}"

    links = [f'<{url(1)}>; rel="first"', f'<{url(last)}>; rel="last"']
    if params.page > 1:
        links.append(f'<{url(min(params.page - 1, last))}>; rel="prev"')
    if params.page < last:
        links.append(f'<{url(params.page + 1)}>; rel="next"')
    response.headers["Link"] = ", ".join(links)


class Pager:
    """The one way a list route answers: its page model, and the Link header set with it.

    A route takes `pager: PagerDep`, hands `pager.params` to its handler and returns
    `pager.page(CandidatePage, items, total)`.
    """

    def __init__(self, request: Request, response: Response, params: PageParams) -> None:
        self.params = params
        self._request = request
        self._response = response

    def page(self, model: type[PageT], items: Sequence[Any], total: int) -> PageT:
        """The page body (`items`, `page`, `pageSize`, `total`); sets first/prev/next/last."""
        set_link_header(self._request, self._response, self.params, total)
        return model.model_validate({"items": list(items), "page": self.params.page,
                                     "pageSize": self.params.page_size, "total": total})


def pager(request: Request, response: Response,
          params: Annotated[PageParams, Depends(page_params)]) -> Pager:
    """FastAPI dependency: the requested page and the response to link."""
    return Pager(request, response, params)


PagerDep = Annotated[Pager, Depends(pager)]
