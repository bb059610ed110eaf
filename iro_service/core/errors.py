"""Errors that services raise, each carrying a message a user can act on.

Pages show the message in the GOV.UK error summary; the API answers 400 (or 409 for a
conflict) with the same message.
"""


class ApplicationError(Exception):
    """A request that cannot be carried out as asked; ``message`` says what to change."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class RuleViolation(ApplicationError):
    """The change would break a national data rule or a statutory rule."""


class InvalidTransition(ApplicationError):
    """The record is not in a state that allows this step."""

    status_code = 409


class NotPermitted(ApplicationError):
    """The user can see the record but may not take this action on it."""

    status_code = 403
