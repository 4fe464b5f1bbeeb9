"""The spreadsheet writer moved to vangnet.transfers.exports (shared by every list's export).

Kept so that existing imports (`from vangnet.jikp import exports`) go on working.
"""

from vangnet.transfers.exports import (
    CONTENT_TYPES,
    CSV,
    DATE_FORMAT,
    FORMATS,
    FORMULA_STARTS,
    SPOOL_MAX_BYTES,
    XLSX,
    batched,
    consistent_snapshot,
    file_response,
    neutralise,
    write_table,
)

__all__ = [
    "CONTENT_TYPES",
    "CSV",
    "DATE_FORMAT",
    "FORMATS",
    "FORMULA_STARTS",
    "SPOOL_MAX_BYTES",
    "XLSX",
    "batched",
    "consistent_snapshot",
    "file_response",
    "neutralise",
    "write_table",
]
