"""The one error type for problems a user can fix, and every error code it carries."""

from __future__ import annotations

#: The request body or one of its fields is not what the endpoint takes.
INVALID_REQUEST = "invalid_request"
#: Header or payload text given to be signed is not valid JSON of the right shape.
INVALID_JSON = "invalid_json"
#: The key or secret cannot be understood at all.
BAD_KEY = "bad_key"
#: The key is of a type that cannot be used with the requested algorithm.
KEY_TYPE_MISMATCH = "key_type_mismatch"
#: Signing needs a secret or a private key, and only a public key was given.
PRIVATE_KEY_REQUIRED = "private_key_required"
#: The algorithm is not one the debugger knows.
UNSUPPORTED_ALG = "unsupported_alg"
#: No route at that URL.
NOT_FOUND = "not_found"
#: The route exists but not for that HTTP method.
METHOD_NOT_ALLOWED = "method_not_allowed"
#: The request body is larger than the server accepts.
TOO_LARGE = "too_large"
#: Any other HTTP-level problem with the request.
BAD_REQUEST = "bad_request"
#: Something failed inside the debugger; never expected.
INTERNAL = "internal_error"

ERROR_CODES = (
    INVALID_REQUEST,
    INVALID_JSON,
    BAD_KEY,
    KEY_TYPE_MISMATCH,
    PRIVATE_KEY_REQUIRED,
    UNSUPPORTED_ALG,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    TOO_LARGE,
    BAD_REQUEST,
    INTERNAL,
)


class DebuggerError(Exception):
    """A problem the user can fix: `code` is stable, `message` is for people."""

    status = 400

    def __init__(
        self, code: str, message: str, *, status: int | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def to_dict(self) -> dict[str, object]:
        """The error as the API returns it under `"error"`."""
        error: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return error
