"""One exception tree for nianbao.

    NianbaoError
    ├── InputError            the document cannot be read as a report
    │   ├── EmptyInput
    │   ├── UndecodableText
    │   ├── UnsupportedFormat
    │   ├── EncryptedPdf
    │   ├── NotAReport
    │   └── NoTables
    ├── LLMError              the model could not give a table
    │   ├── LLMTransportError     the endpoint failed (after transport retries)
    │   ├── LLMOutputError        the reply never fitted the table's schema
    │   ├── BudgetExhausted       the token budget is spent
    │   └── DeadlinePassed        the table's deadline passed before it was answered
    ├── ConfigError           bad settings or options
    │   └── MissingExtra          an optional extra is not installed
    └── InternalError         a bug in nianbao

An ``InputError`` becomes a record with ``status: failed``; the batch goes on.
"""

from __future__ import annotations


class NianbaoError(Exception):
    """Base of every error nianbao raises on purpose."""

    def __init__(self, message: str, *, path: str | None = None, stage: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.stage = stage

    def __str__(self) -> str:
        return self.message


class InputError(NianbaoError):
    """The document cannot be read as a report."""


class EmptyInput(InputError):
    pass


class UndecodableText(InputError):
    pass


class UnsupportedFormat(InputError):
    pass


class EncryptedPdf(InputError):
    pass


class NotAReport(InputError):
    pass


class NoTables(InputError):
    pass


class LLMError(NianbaoError):
    """The model could not give a table; the table keeps its rule values, flagged."""

    def __init__(self, message: str, *, attempts: int = 0, raw: str | None = None, **kw: str | None):
        super().__init__(message, path=kw.get("path"), stage=kw.get("stage") or "llm")
        self.attempts = attempts
        self.raw = raw


class LLMTransportError(LLMError):
    pass


class LLMOutputError(LLMError):
    pass


class BudgetExhausted(LLMError):
    pass


class DeadlinePassed(LLMError):
    """A table was not answered within ``llm_table_deadline``; it keeps its rule values."""


class ConfigError(NianbaoError):
    pass


class MissingExtra(ConfigError):
    """A feature's packages are an extra that is not installed: one line says how to get them."""

    EXTRAS = {"openai": "llm", "instructor": "llm", "fastapi": "serve", "starlette": "serve",
              "uvicorn": "serve", "multipart": "serve", "python_multipart": "serve",
              "matplotlib": "plots", "llama_cpp": "local", "distributed": "cluster", "dask": "cluster",
              "pyarrow": "parquet",
              "rapidocr_onnxruntime": "ocr", "onnxruntime": "ocr", "pypdfium2": "ocr", "cv2": "ocr"}

    @classmethod
    def of(cls, exc: ImportError, feature: str) -> MissingExtra:
        module = (exc.name or "?").split(".")[0]
        extra = cls.EXTRAS.get(module, "all")
        return cls(f"{feature} needs {module}, from the [{extra}] extra: pip install 'nianbao[{extra}]'")


class InternalError(NianbaoError):
    """A bug in nianbao: please report it with the document that caused it."""
