"""The OpenAPI schema's shared parts: the bearer token, and the error responses every
operation documents."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from api.serializers import ErrorSerializer

ERRORS = {
    "400": "Invalid parameter (error.fields names it).",
    "401": "No token, or a token unknown or revoked.",
    "404": "No such object for this token.",
    "429": "The token's rate limit was reached; see Retry-After.",
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
                responses[code]["description"] = description
        return responses


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued to the organisation in the back office (dvk_…).",
        }


def integer_ids(result, generator, request, public):
    """Path ids are whole numbers (the URL takes up to 18 digits; a longer one is a 404)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id":
                    parameter["schema"] = {"type": "integer", "minimum": 1}
    return result
