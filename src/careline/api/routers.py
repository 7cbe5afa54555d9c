"""Every capability's router, in one list the app includes."""

from __future__ import annotations

from fastapi import APIRouter

from careline.compliance.api import router as compliance_router
from careline.desk.api import router as desk_router
from careline.directory.api import router as directory_router
from careline.events.api import router as events_router
from careline.flows.api import router as flows_router
from careline.integrations.fhir.api import router as fhir_router
from careline.messaging.api import router as messaging_router
from careline.metrics.api import router as metrics_router
from careline.patients.api import router as patients_router
from careline.providers.outbox.api import router as outbox_router
from careline.reminders.api import router as reminders_router
from careline.scheduling.api import router as scheduling_router
from careline.security.api import router as security_router
from careline.telephony.api import router as voice_router
from careline.telephony.api import sms_router as sms_status_router
from careline.timeline.api import router as timeline_router
from careline.waitlist.api import router as waitlist_router
from careline.worklist.api import router as worklist_router

ROUTERS: list[APIRouter] = [
    voice_router,
    sms_status_router,
    security_router,
    outbox_router,
    directory_router,
    desk_router,
    events_router,
    patients_router,
    timeline_router,
    messaging_router,
    scheduling_router,
    fhir_router,
    flows_router,
    reminders_router,
    waitlist_router,
    worklist_router,
    metrics_router,
    compliance_router,
]
