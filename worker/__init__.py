"""crosscheck: a streaming worker that tells news readers where their sources disagree."""

__version__ = "0.1.0"
