"""A deliberately faulty sandbox and its contract, for testing ``interop verify``.

Every defect is planted on purpose and listed in ``PLANTED``; several sit on the same operation
(``GET /workers`` has five). Everything else the sandbox does is correct, so a verify run must
report exactly ``PLANTED`` and nothing more. ``serve(app)`` runs it under uvicorn on 127.0.0.1 on
a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

TOKEN = "s3cret-token-123"
API_KEY = "k3y-ABCDEF-987"
"""An extra header the user passes; never required by the sandbox, but a secret all the same."""

PLANTED: set[tuple[str, str]] = {
    ("verify.response-schema", "GET /workers"),  # hireDate is "01/02/2024", not a date
    ("verify.response-header", "GET /workers"),  # X-Total-Count missing  (one finding)
    ("verify.response-header", "GET /workers"),  # X-Rate-Limit-Remaining "lots" (another)
    ("verify.ignored-auth", "GET /workers"),  # no credential check at all
    ("verify.negative-data", "GET /workers"),  # an invalid limit is accepted
    ("verify.stateful-link", "POST /workers"),  # what POST creates, GET cannot find
    ("verify.negative-data", "POST /workers"),  # any body is accepted
    ("verify.content-type", "GET /workers/{id}"),  # its 404 is text/html
    ("verify.status-code", "DELETE /workers/{id}"),  # 200 instead of 204
    ("verify.response-malformed", "GET /workers/{id}/payslip"),  # "JSON" that is not JSON
    ("verify.response-too-large", "GET /reports/huge"),  # 2 MB
    ("verify.response-timeout", "GET /reports/slow"),  # drips a byte at a time
    ("verify.server-error", "GET /org-units"),  # 500
    ("verify.unsupported-method", "PATCH /workers/{id}"),  # PATCH is not declared, yet 200
}
PLANTED_COUNT = 14
"""Findings expected: the set above has 13 entries, as GET /workers has two header findings."""

_ID = re.compile(r"^w[0-9]{3,6}$")

_ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _unauthorised() -> dict[str, Any]:
    return _json(_ERROR, "missing or bad credentials")


ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^w[0-9]{3,6}$"},
}

CONTRACT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Faulty sandbox", "version": "1.0.0"},
    "security": [{"bearer": []}],
    "paths": {
        "/health": {
            "get": {
                "operationId": "health",
                "security": [],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["status"],
                            "properties": {"status": {"type": "string", "enum": ["ok"]}},
                        }
                    )
                },
            }
        },
        "/workers": {
            "get": {
                "operationId": "listWorkers",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    }
                ],
                "responses": {
                    "200": {
                        **_json({"$ref": "#/components/schemas/WorkerList"}),
                        "headers": {
                            "X-Total-Count": {"required": True, "schema": {"type": "integer"}},
                            "X-Rate-Limit-Remaining": {"schema": {"type": "integer"}},
                        },
                    },
                    "401": _unauthorised(),
                },
            },
            "post": {
                "operationId": "createWorker",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewWorker"}}
                    },
                },
                "responses": {
                    "201": {
                        **_json({"$ref": "#/components/schemas/Worker"}, "created"),
                        "links": {
                            "GetCreatedWorker": {
                                "operationId": "getWorker",
                                "parameters": {"id": "$response.body#/id"},
                            }
                        },
                    },
                    "400": _json(_ERROR, "invalid"),
                    "401": _unauthorised(),
                },
            },
        },
        "/workers/{id}": {
            "parameters": [ID_PARAMETER],
            "get": {
                "operationId": "getWorker",
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Worker"}),
                    "401": _unauthorised(),
                    "404": _json(_ERROR, "no such worker"),
                },
            },
            "delete": {
                "operationId": "deleteWorker",
                "responses": {
                    "204": {"description": "deleted"},
                    "401": _unauthorised(),
                    "404": _json(_ERROR, "no such worker"),
                },
            },
        },
        "/workers/{id}/payslip": {
            "parameters": [ID_PARAMETER],
            "get": {
                "operationId": "getPayslip",
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Payslip"}),
                    "401": _unauthorised(),
                },
            },
        },
        "/org-units": {
            "get": {
                "operationId": "listOrgUnits",
                "responses": {
                    "200": _json({"type": "array", "items": {"type": "string"}}),
                    "401": _unauthorised(),
                },
            }
        },
        "/reports/huge": {
            "get": {
                "operationId": "hugeReport",
                "security": [],
                "responses": {"200": _json({"type": "object"})},
            }
        },
        "/reports/slow": {
            "get": {
                "operationId": "slowReport",
                "security": [],
                "responses": {"200": _json({"type": "object"})},
            }
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
            "Worker": {
                "type": "object",
                "required": ["id", "name", "hireDate"],
                "properties": {
                    "id": {"type": "string", "pattern": "^w[0-9]{3,6}$"},
                    "name": {"type": "string", "maxLength": 50},
                    "email": {"type": "string", "format": "email"},
                    "hireDate": {"type": "string", "format": "date"},
                },
            },
            "NewWorker": {
                "type": "object",
                "required": ["name", "hireDate"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 50},
                    "email": {"type": "string", "format": "email"},
                    "hireDate": {"type": "string", "format": "date"},
                },
            },
            "WorkerList": {
                "type": "object",
                "required": ["data", "total"],
                "properties": {
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/Worker"}},
                    "total": {"type": "integer", "minimum": 0},
                },
            },
            "Payslip": {
                "type": "object",
                "required": ["worker", "net"],
                "properties": {"worker": {"type": "string"}, "net": {"type": "number"}},
            },
        },
    },
}

_WORKERS = {
    "w001": {"id": "w001", "name": "Priya Sharma", "hireDate": "2019-09-02"},
    "w002": {
        "id": "w002",
        "name": "Tom Whitfield",
        "email": "tom@example.gov.uk",
        "hireDate": "2020-01-06",
    },
}


def _authorised(request: Request) -> bool:
    return request.headers.get("authorization") == f"Bearer {TOKEN}"


def _denied() -> JSONResponse:
    return JSONResponse({"code": "unauthorised", "message": "bad credentials"}, status_code=401)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def list_workers(request: Request) -> Response:
    # Planted: no credential check; limit never validated; hireDate in the wrong format;
    # X-Total-Count missing; X-Rate-Limit-Remaining not an integer.
    data = [{**w, "hireDate": "01/02/2024"} for w in _WORKERS.values()]
    return JSONResponse(
        {"data": data, "total": len(data)}, headers={"X-Rate-Limit-Remaining": "lots"}
    )


_created = iter(range(9000, 999999))


async def create_worker(request: Request) -> Response:
    if not _authorised(request):
        return _denied()
    # Planted: the body is never validated, and the new worker is never stored.
    new_id = f"w{next(_created)}"
    return JSONResponse({"id": new_id, "name": "New Starter", "hireDate": "2025-01-06"}, 201)


async def worker(request: Request) -> Response:
    if not _authorised(request):
        return _denied()
    worker_id = request.path_params["id"]
    if request.method == "PATCH":  # Planted: a method the contract does not declare
        return JSONResponse({"patched": True})
    if not _ID.match(worker_id):
        return JSONResponse({"code": "invalid", "message": "bad id"}, status_code=400)
    if request.method == "DELETE":  # Planted: 200 rather than 204 / 404
        return JSONResponse({"deleted": worker_id})
    found = _WORKERS.get(worker_id)
    if found is None:  # Planted: an HTML error page
        return Response("<html><body>Not found</body></html>", 404, media_type="text/html")
    return JSONResponse(found)


async def payslip(request: Request) -> Response:
    if not _authorised(request):
        return _denied()
    if not _ID.match(request.path_params["id"]):
        return JSONResponse({"code": "invalid", "message": "bad id"}, status_code=400)
    # Planted: declared JSON, sends a debug dump (that echoes the caller's credentials).
    echo = request.headers.get("authorization", "")
    return Response(
        f"DEBUG worker=? auth={echo} key={request.headers.get('x-api-key')}",
        200,
        media_type="application/json",
    )


async def org_units(request: Request) -> Response:
    if not _authorised(request):
        return _denied()
    return PlainTextResponse("Internal Server Error", status_code=500)  # Planted


async def huge(request: Request) -> Response:
    blob = json.dumps({"rows": ["x" * 1000] * 2000})  # Planted: about 2 MB
    return Response(blob, media_type="application/json")


async def slow(request: Request) -> Response:
    async def drip() -> AsyncIterator[bytes]:  # Planted: a byte every 0.2 s for 20 s
        yield b'{"rows": ['
        for _ in range(100):
            await asyncio.sleep(0.2)
            yield b" "
        yield b"]}"

    return StreamingResponse(drip(), media_type="application/json")


def make_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/health", health),
            Route("/workers", list_workers, methods=["GET"]),
            Route("/workers", create_worker, methods=["POST"]),
            Route("/workers/{id}", worker, methods=["GET", "DELETE", "PATCH"]),
            Route("/workers/{id}/payslip", payslip),
            Route("/org-units", org_units),
            Route("/reports/huge", huge),
            Route("/reports/slow", slow),
        ]
    )


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn on 127.0.0.1, a free port; yield its base URL."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="error",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the faulty sandbox did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
