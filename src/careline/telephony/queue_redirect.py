"""Taking a reserved caller out of the provider's queue at once (issue 9).

A caller waits in a provider queue, whose wait URL careline answers every pass
(2 s for emergencies, 5 s urgent, 20 s routine): until now a caller for whom an agent
became free heard the rest of a pass before their phone leg was dialled. When the desk
reserves an agent for a caller who is not the one asking (an agent came back, or
another caller's wait request matched the floor), careline asks the provider to
dequeue that caller to `QUEUE_REDIRECT` now (Twilio's Queue Members update). The wait
pass stays the guarantee: a redirect that fails or finds the caller gone changes
nothing, and their next wait request takes them out as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from careline.desk.model import Offer
from careline.flows import actions as act
from careline.providers.protocol import ProviderError
from careline.runtime import Runtime
from careline.telephony.render import queue_name

log = logging.getLogger("careline.telephony")

#: Where a dequeued caller's leg asks what to do: ring the reserved agent.
QUEUE_REDIRECT = "/telephony/voice/queue-redirect"


def queue_of(offer: Offer) -> str:
    """The provider queue the caller waits in (the name the Enqueue TwiML gave)."""
    return queue_name(
        act.Enqueue(offer.department, offer.priority, offer.language or "en", offer.location_id)
    )


def redirect_reserved(rt: Runtime, offers: Sequence[Offer]) -> None:
    """Ask the provider to dequeue each reserved caller to the agent's ring now."""
    base = (rt.settings.public_base_url or "").rstrip("/")
    if not base:
        return  # the provider needs an absolute URL; the wait pass will do
    for offer in offers:
        try:
            moved = rt.provider.redirect_queue_member(
                queue=queue_of(offer), call_sid=offer.call_sid, url=f"{base}{QUEUE_REDIRECT}"
            )
        except ProviderError as exc:
            log.info("queue redirect not taken (%s): the wait pass will do", exc.code)
            continue
        log.debug("queue redirect for entry %s: %s", offer.entry_id, moved)
