"""nianbao: extract the numbers of 政府信息公开工作年度报告 with confidence, flags and evidence."""

from __future__ import annotations

from .config import Settings
from .errors import NianbaoError
from .pipeline import extract_bytes, extract_document, extract_file
from .records import Cell, Evidence, Flag, Method, Record

__all__ = ["Cell", "Evidence", "Flag", "Method", "NianbaoError", "Record", "Settings",
           "extract_bytes", "extract_document", "extract_file"]
__version__ = "0.1.0"
