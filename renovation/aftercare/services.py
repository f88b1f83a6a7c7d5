"""Write-side operations of post-handover management (改造后管理), and the read models of its pages: the
public face of the area's services, split by what they are about:

- ``handover``: the handover checklist, the property-management contract and fee;
- ``repairs``: residents' repair requests and their target hours;
- ``facilities``: facilities and partners, community activities;
- ``satisfaction``: the satisfaction survey and its gate;
- ``common``: what they share (photo upload, the squad-only check).

Every write takes the acting user, checks permission, raises DomainError/PermissionDenied with messages
in the reader's language, flushes (never commits) and writes an audit row for each state change.
"""

from renovation.aftercare.common import Photo
from renovation.aftercare.facilities import (
    activities,
    add_activity,
    add_facility,
    facilities,
    update_facility,
)
from renovation.aftercare.handover import (
    add_handover,
    add_handover_document,
    current_contract,
    handovers,
    monthly_fee,
    set_property_contract,
    sign_handover,
)
from renovation.aftercare.repairs import (
    can_file_repair,
    can_handle_repair,
    can_see_repair,
    ensure_repair_categories,
    file_repair,
    handle_repair,
    repair_categories,
    repair_stats,
    repairs_query,
    set_repair_target,
)
from renovation.aftercare.satisfaction import (
    answer_survey,
    close_survey,
    closure_check,
    my_answer,
    open_survey,
    survey_comments,
    survey_of,
    survey_result,
)

__all__ = [
    "Photo",
    # facilities and activities
    "add_facility", "update_facility", "facilities", "add_activity", "activities",
    # handover and property management
    "add_handover", "sign_handover", "add_handover_document", "handovers", "set_property_contract",
    "current_contract", "monthly_fee",
    # repair requests
    "repair_categories", "ensure_repair_categories", "set_repair_target", "can_file_repair", "can_handle_repair",
    "can_see_repair", "file_repair", "handle_repair", "repairs_query", "repair_stats",
    # satisfaction survey
    "survey_of", "open_survey", "close_survey", "answer_survey", "my_answer", "survey_result", "closure_check",
    "survey_comments",
]
