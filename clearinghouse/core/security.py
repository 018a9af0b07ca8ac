"""The Content-Security-Policy header, with the one allowance the browsable API needs.

The policy itself is in settings (CONTENT_SECURITY_POLICY); see docs/security.md.
"""

from __future__ import annotations

import base64
import hashlib

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase
from rest_framework.renderers import BrowsableAPIRenderer

# The style attributes Django REST framework's browsable-API templates write (a floated button,
# a search box's width, a fieldset's border). Allowed by hash, on those pages only, so that no
# other inline style can run anywhere; core/tests/test_content_security_policy.py fails when a
# new DRF release writes one that is not here.
BROWSABLE_API_STYLE_ATTRIBUTES = (
    "float: right; margin-right: 10px",
    "float: right",
    "width: 350px",
    "border-bottom: 1px solid #e5e5e5",
    "border-bottom: 0",
)


def source_hash(text: str) -> str:
    """The CSP source expression ('sha256-…') that allows this exact inline text."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus hashed style attributes on browsable-API pages."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer):
            allowance = ["'unsafe-hashes'", *map(source_hash, BROWSABLE_API_STYLE_ATTRIBUTES)]
            parts.update = (parts.update or {}) | {"style-src": allowance}
        return parts
