"""Errors that the CLI turns into one-line messages and exit codes.

Exit codes follow what schedulers act on: 0 success, 1 something failed at run
time (a language, a model), 2 the user asked for something impossible (bad input,
bad configuration, unknown language code).
"""

from __future__ import annotations


class TranslateError(Exception):
    """Base for every error this package raises on purpose."""

    exit_code = 1


class UsageError(TranslateError):
    """Bad input or configuration: the user can fix it by changing what they ask."""

    exit_code = 2


class InputFileError(UsageError):
    """A source file that is missing, empty, binary or not UTF-8."""


class ConfigError(UsageError):
    """translate.toml has an unknown key or a bad value."""


class LanguageError(UsageError):
    """An unknown language code, or a pair no engine here can serve."""


class ModelError(TranslateError):
    """A model that is missing, broken, or cannot be fetched."""


class EngineError(TranslateError):
    """An engine failed while translating."""


class WriteError(TranslateError):
    """A file or folder that cannot be written: permissions, a full disk, a read-only mount."""


class DiskFull(WriteError):
    """The disk (or the user's quota) is full: what was being written is not there at all, and the command said so."""


class ClusterError(TranslateError):
    """A run's cluster cannot be reached, or none of its workers can make the drafts this machine would."""
