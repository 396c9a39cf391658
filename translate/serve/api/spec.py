"""GET /spec: an OpenAPI 3.1 document of what this API implements, and GET /docs: the same as a page.

LibreTranslate serves its Swagger document at /spec and Swagger UI at /docs;
clients and people look for both there. This document describes this
server, not LibreTranslate: the parameters it reads, the limits it applies
(from the configuration), the `provenance` it adds, the two features it
refuses. The page is rendered here from the document, without scripts (the
server's Content-Security-Policy allows none from elsewhere).
"""

from __future__ import annotations

import html
import json
from typing import Any

from translate import __version__
from translate.config import ApiOptions

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _errors(*statuses: int) -> dict[str, Any]:
    said = {
        400: "A missing or bad parameter, a language not served, a request over a limit it could never meet",
        403: "An unknown or revoked API key; or a feature this server does not offer",
        413: "The body is larger than this server reads",
        429: "This key or address sent its texts for this minute (Retry-After says when to try again)",
        500: "An engine failed (the server keeps serving)",
        503: "The work queue is full (Retry-After: 1)",
    }
    return {str(s): {"description": said[s], "content": {JSON: {"schema": _ref("Error")}}} for s in statuses}


def _text_or_list(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    }


def openapi(options: ApiOptions) -> dict[str, Any]:
    """The OpenAPI 3.1 document, with this server's limits filled in."""
    char_limit = f"at most {options.char_limit} characters" if options.char_limit else "no length limit"
    translate_fields = {
        "q": _text_or_list(
            f"Text to translate, or (JSON only) a list of at most {options.batch_limit} texts; each text {char_limit}"
        ),
        "source": {"type": "string", "description": "Language code (see /languages), or 'auto' to detect it", "example": "en"},
        "target": {"type": "string", "description": "Language code (see /languages)", "example": "es"},
        "format": {"type": "string", "enum": ["text", "html"], "default": "text"},
        "alternatives": {
            "type": "integer",
            "minimum": 0,
            "maximum": options.alternatives_limit,
            "default": 0,
            "description": "Other translations wanted (from a neural engine's n-best list; Apertium gives none)",
        },
        "api_key": {"type": "string", "description": "A key from `translate api-key create`"},
    }
    translate_body = {"type": "object", "required": ["q", "source", "target"], "properties": translate_fields}
    detect_body = {
        "type": "object",
        "required": ["q"],
        "properties": {
            "q": _text_or_list("Text (or list of texts, identified together)"),
            "api_key": translate_fields["api_key"],
        },
    }
    paths: dict[str, Any] = {
        "/translate": {
            "post": {
                "summary": "Translate text",
                "description": "Through the glossary pinning and checks of `translate run`; approved sentences come back "
                "as approved. The texts come back unchanged when source and target are the same language.",
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": translate_body}, FORM: {"schema": translate_body}},
                },
                "responses": {
                    "200": {"description": "Translations", "content": {JSON: {"schema": _ref("Translation")}}},
                    **_errors(400, 403, 413, 429, 500, 503),
                },
            }
        },
        "/detect": {
            "post": {
                "summary": "Detect the language of text",
                "description": "Over every language the identifier knows, whether or not it is translated here.",
                "requestBody": {"required": True, "content": {JSON: {"schema": detect_body}, FORM: {"schema": detect_body}}},
                "responses": {
                    "200": {
                        "description": "At most three candidates, best first",
                        "content": {JSON: {"schema": {"type": "array", "items": _ref("Detection")}}},
                    },
                    **_errors(400, 403, 413, 429),
                },
            }
        },
        "/languages": {
            "get": {
                "summary": "Languages served",
                "description": "Every language translated into or from; a language only translated into has no targets.",
                "responses": {
                    "200": {
                        "description": "Languages",
                        "content": {JSON: {"schema": {"type": "array", "items": _ref("Language")}}},
                    }
                },
            }
        },
        "/frontend/settings": {
            "get": {
                "summary": "Settings for a web front end",
                "responses": {"200": {"description": "Settings", "content": {JSON: {"schema": _ref("FrontendSettings")}}}},
            }
        },
        "/health": {
            "get": {
                "summary": "Health, the work queue and the batches formed",
                "responses": {"200": {"description": "Serving", "content": {JSON: {"schema": {"type": "object"}}}}},
            }
        },
        "/suggest": {"post": {"summary": "Not offered here", "responses": _errors(403)}},
        "/translate_file": {"post": {"summary": "Not offered here", "responses": _errors(403)}},
        "/spec": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1 document"}}}},
        "/docs": {"get": {"summary": "This document as a page", "responses": {"200": {"description": "HTML"}}}},
    }
    for path, operations in paths.items():
        for operation in operations.values():
            operation["operationId"] = path.strip("/").replace("/", "_")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "translate: LibreTranslate-compatible API",
            "version": __version__,
            "description": "LibreTranslate's API, answered by the translate pipeline: pinned glossary terms, approved "
            "sentences from the translation memory, and each text's provenance.",
        },
        "paths": paths,
        "components": {"schemas": _schemas()},
    }


def _schemas() -> dict[str, Any]:
    detection = {
        "type": "object",
        "properties": {
            "confidence": {"type": "number", "minimum": 0, "maximum": 100},
            "language": {"type": "string", "example": "ca"},
        },
    }
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
        "Detection": detection,
        "Language": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "en"},
                "name": {"type": "string", "example": "English"},
                "targets": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Translation": {
            "type": "object",
            "required": ["translatedText"],
            "properties": {
                "translatedText": _text_or_list("A string, or a list in the order of q"),
                "alternatives": {"description": "When asked for: a list of strings (a list of lists for a list q)"},
                "detectedLanguage": {"description": "With source 'auto': a Detection (one per text for a list q)"},
                "provenance": {
                    "description": "Not LibreTranslate's: engine, route, signature, approved sentences, glossary terms "
                    "found and missing, the quality checks' signals (one object per text for a list q)"
                },
            },
        },
        "FrontendSettings": {
            "type": "object",
            "properties": {
                "charLimit": {"type": "integer"},
                "frontendTimeout": {"type": "integer"},
                "apiKeys": {"type": "boolean"},
                "keyRequired": {"type": "boolean"},
                "suggestions": {"type": "boolean"},
                "filesTranslation": {"type": "boolean"},
                "supportedFilesFormat": {"type": "array", "items": {"type": "string"}},
                "language": {"type": "object"},
            },
        },
    }


def page(document: dict[str, Any]) -> str:
    """The document as an HTML page: each endpoint, its fields and its answers."""
    e = html.escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(document['info']['title'])}</title></head><body>",
        f"<h1>{e(document['info']['title'])}</h1>",
        f"<p>{e(document['info']['description'])}</p>",
        '<p>The same as an OpenAPI 3.1 document: <a href="spec">/spec</a>.</p>',
    ]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            out.append(f"<h2><code>{e(method.upper())} {e(path)}</code>: {e(operation['summary'])}</h2>")
            if "description" in operation:
                out.append(f"<p>{e(operation['description'])}</p>")
            body = operation.get("requestBody", {}).get("content", {}).get(JSON, {}).get("schema")
            if body:
                out.append("<table><tr><th>field</th><th>type</th><th>what</th></tr>")
                for name, field in body["properties"].items():
                    required = " (required)" if name in body.get("required", ()) else ""
                    kind = field.get("type") or " or ".join(option["type"] for option in field.get("oneOf", ()))
                    out.append(
                        f"<tr><td><code>{e(name)}</code>{required}</td><td>{e(str(kind))}</td>"
                        f"<td>{e(field.get('description', json.dumps(field.get('enum', ''))))}</td></tr>"
                    )
                out.append("</table>")
            out.append("<ul>")
            for status, answer in operation["responses"].items():
                out.append(f"<li><strong>{e(status)}</strong>: {e(answer['description'])}</li>")
            out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out)
