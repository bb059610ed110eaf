"""Every export the returns page offers, by name (``reporting.exports.base.Export``).

Add one line per export: SSDA903 here; CIN census and Ofsted Annex A from their modules.
"""

from reporting.exports.annex_a import ANNEX_A_LIST_7_EXPORT, ANNEX_A_LIST_8_EXPORT
from reporting.exports.base import Export
from reporting.exports.cin import CIN_EXPORT
from reporting.exports.ssda903 import SSDA903_EXPORT

EXPORTS: dict[str, Export] = {
    export.name: export
    for export in [
        SSDA903_EXPORT,
        CIN_EXPORT,
        ANNEX_A_LIST_7_EXPORT,
        ANNEX_A_LIST_8_EXPORT,
    ]
}
