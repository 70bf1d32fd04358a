"""The exceptions of cmlkg: one root, subclassing builtins where natural."""


class CmlkgError(Exception):
    """Root of every error cmlkg raises on purpose; the CLI turns it into a message and exit 1."""


class InputError(CmlkgError, ValueError):
    """An abstract file or a seeds folder that cannot be used."""


class BuildNotFoundError(CmlkgError, FileNotFoundError):
    """No finished build in the build folder."""


class QueryError(CmlkgError, ValueError):
    """A SPARQL query that does not parse or cannot run."""


class BuildWriteError(CmlkgError, OSError):
    """The build folder cannot be written (read-only, full disk, no permission)."""
