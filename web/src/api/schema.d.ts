// Generated from careline's OpenAPI document by `npm run gen:api`. Do not edit.

export interface paths {
    "/api/v1/appointments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A patient's appointments (patient_id), or a location's day (location_id + day) */
        get: operations["list_appointments_api_v1_appointments_get"];
        put?: never;
        /** Book an appointment into a free slot, or at a time with a provider */
        post: operations["create_appointment_api_v1_appointments_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appointments/{appointment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One appointment */
        get: operations["get_appointment_api_v1_appointments__appointment_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appointments/{appointment_id}/arrived": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The patient arrived (checked in) */
        post: operations["mark_arrived_api_v1_appointments__appointment_id__arrived_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appointments/{appointment_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel with a reason code; its slot becomes free */
        post: operations["cancel_api_v1_appointments__appointment_id__cancel_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appointments/{appointment_id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The patient confirmed they will come */
        post: operations["confirm_api_v1_appointments__appointment_id__confirm_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appointments/{appointment_id}/fulfilled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The visit took place */
        post: operations["mark_fulfilled_api_v1_appointments__appointment_id__fulfilled_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appointments/{appointment_id}/noshow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The patient did not come */
        post: operations["mark_noshow_api_v1_appointments__appointment_id__noshow_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appointments/{appointment_id}/reminders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An appointment's reminders */
        get: operations["list_reminders_api_v1_appointments__appointment_id__reminders_get"];
        put?: never;
        /** (Re)plan an appointment's reminders now (after a booking or a move) */
        post: operations["plan_reminders_api_v1_appointments__appointment_id__reminders_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/appointments/{appointment_id}/reschedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move to a free slot or another time; the old time becomes open capacity */
        post: operations["reschedule_api_v1_appointments__appointment_id__reschedule_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search the audit log */
        get: operations["search_audit_api_v1_audit_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search the audit log by patient (name and date of birth), user, action, time
         * @description Newest first. The patient is found through the blind index (nothing is decrypted); `matched_patient_ids` says who matched. The search is itself audited (`audit.search`) with the matched ids, never the name or date of birth.
         */
        post: operations["search_audit_console_api_v1_audit_search_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/search.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export an audit search as CSV (every match up to 10,000, newest first)
         * @description The same body as `/audit/search`; paging is ignored. `X-Total-Count` says how many matched. Audited as `audit.export`.
         */
        post: operations["export_audit_csv_api_v1_audit_search_csv_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Verify the hash chain */
        get: operations["verify_audit_api_v1_audit_verify_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/{seq}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark an audit entry reviewed (the first mark stands)
         * @description Stored beside the hash chain, never in it: the entry itself is unchanged. Audited as `audit.review`.
         */
        post: operations["review_audit_entry_api_v1_audit__seq__review_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/enrolment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * First sign-in: my authenticator's secret and QR code (password required)
         * @description Open to a user whose one-time-code secret was issued (account created or MFA reset) within `mfa_enrolment_hours` and never used; the first code used to sign in closes it (409 mfa-enrolment-closed afterwards). Wrong passwords count towards the lockout like sign-ins do. The answer is never cached.
         */
        post: operations["start_enrolment_api_v1_auth_enrolment_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in (password + TOTP) */
        post: operations["login_api_v1_auth_login_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Logout */
        post: operations["logout_api_v1_auth_logout_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Me */
        get: operations["me_api_v1_auth_me_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My open sessions */
        get: operations["my_sessions_api_v1_auth_sessions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End one of my sessions (e.g. a lost device) */
        delete: operations["end_my_session_api_v1_auth_sessions__session_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The inbox: texts of the last 30 days, one entry per patient, urgent first
         * @description Only patients of the clinics you work for, and texts careline could not attach
         *     to one patient that came in to those clinics' numbers.
         */
        get: operations["list_conversations_api_v1_conversations_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{key}/assignee": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Who answers this conversation (a colleague at its clinic, yourself, or nobody) */
        put: operations["assign_conversation_api_v1_conversations__key__assignee_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{key}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** I opened this conversation: what came in until now is read (for me) */
        post: operations["read_conversation_api_v1_conversations__key__read_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/departments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Departments */
        get: operations["list_departments_api_v1_departments_get"];
        put?: never;
        /** Create Department */
        post: operations["create_department_api_v1_departments_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/departments/{department_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Department */
        get: operations["get_department_api_v1_departments__department_id__get"];
        put?: never;
        post?: never;
        /** Delete a department with no staff in it */
        delete: operations["delete_department_api_v1_departments__department_id__delete"];
        options?: never;
        head?: never;
        /** Update Department */
        patch: operations["update_department_api_v1_departments__department_id__patch"];
        trace?: never;
    };
    "/api/v1/desk/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My presence, the call offered to me or that I am on, and calls waiting for me */
        get: operations["my_desk_api_v1_desk_me_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/desk/me/call": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The card of the call offered to me, that I am on, or that I am wrapping up
         * @description Queue facts always (department, priority, language, wait). The triage decision with the caller's words, the caller's patient (id, and whether the caller verified it), their last 5 interactions (what happened, not what was said) and open tasks need patients:read at the call's clinic (otherwise phi_withheld is true); reading them is audited. 404 no-current-call when there is no such call.
         */
        get: operations["my_call_card_api_v1_desk_me_call_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/desk/me/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Go available (take the next call), away or offline
         * @description Busy and wrap-up come from calls and cannot be set by hand; nobody leaves a ringing or connected call by a status change (409 presence-transition-invalid).
         */
        put: operations["set_my_presence_api_v1_desk_me_presence_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/desk/me/wrap-up": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record my wrap-up (disposition and note) on the call's timeline; then available
         * @description Dispositions: resolved, appointment_booked, message_taken, callback_needed, transferred, clinical_advice, wrong_number, other. The note (at most 2000 characters) is stored encrypted on the call's timeline, with the staff member's name. Once per call: 409 wrap-up-already-recorded for a call already wrapped up, 409 not-in-wrap-up when you are not wrapping up a call (on one, or wrap-up time ran out).
         */
        post: operations["record_wrap_up_api_v1_desk_me_wrap_up_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/desk/me/wrap-up/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Done with my notes: available now (wrap-up also ends by itself) */
        post: operations["finish_wrap_up_api_v1_desk_me_wrap_up_finish_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/desk/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Calls waiting or ringing an agent now, highest priority first */
        get: operations["live_queue_api_v1_desk_queue_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/desk/wall": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The supervisor's wall: live queues, agents, alerts and today's figures
         * @description Of the clinics where you hold directory:read (or the one asked for: 403 location-out-of-scope outside them). Waiting and ringing callers are in line; an emergency caller in line is always an alert, an urgent one after 120 s (wait_limits). Service level: answered within 60 s of entering the queue over today's calls that stopped waiting (answered or abandoned). Today is the clinic's own day. No PHI.
         */
        get: operations["supervisor_wall_api_v1_desk_wall_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events for my screens (Server-Sent Events): what changed, by id
         * @description Each event names a kind (task, queue, desk, presence, conversation, appointment, resync) and opaque ids, never PHI: refetch the resource through the API. Only events the caller's permissions and clinics allow are sent; desk events reach the one staff member they concern. Opening the stream does not count as activity: the session still idles out, and the stream then ends with a `signed-out` event.
         */
        get: operations["live_events_api_v1_events_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Call flows, by name */
        get: operations["list_flows_api_v1_flows_get"];
        put?: never;
        /** Create a flow from a draft document (it may still be incomplete) */
        post: operations["create_flow_api_v1_flows_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/lint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Every problem of a flow document, by node (nothing is stored) */
        post: operations["lint_flow_api_v1_flows_lint_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A flow and its draft */
        get: operations["get_flow_api_v1_flows__flow_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/bindings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The numbers this flow answers */
        get: operations["list_bindings_api_v1_flows__flow_id__bindings_get"];
        put?: never;
        /** Answer a number (E.164, one flow per number) with this flow */
        post: operations["bind_number_api_v1_flows__flow_id__bindings_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/bindings/{binding_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Stop answering a number with this flow */
        delete: operations["unbind_number_api_v1_flows__flow_id__bindings__binding_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/draft": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace the draft (409 if base_revision is given and someone saved since) */
        put: operations["save_draft_api_v1_flows__flow_id__draft_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/draft/problems": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What would stop the draft from being published */
        get: operations["draft_problems_api_v1_flows__flow_id__draft_problems_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish the draft as the new live version (422 flow-invalid lists every problem) */
        post: operations["publish_flow_api_v1_flows__flow_id__publish_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put an earlier version back live (as a new version that copies it) */
        post: operations["rollback_flow_api_v1_flows__flow_id__rollback_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Published versions, newest first */
        get: operations["list_versions_api_v1_flows__flow_id__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/versions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One published version with its document */
        get: operations["get_version_api_v1_flows__flow_id__versions__number__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{flow_id}/versions/{number}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Nodes a version added, removed and changed (against the one before, by default) */
        get: operations["diff_version_api_v1_flows__flow_id__versions__number__diff_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Calls, voicemails and texts not yet on a patient's timeline (unknown callers)
         * @description Only interactions with no patient, of the clinics you work for (the clinic the
         *     caller chose, or whose number they wrote to).
         */
        get: operations["list_unattached_api_v1_interactions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/interactions/{interaction_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One interaction with its events */
        get: operations["get_interaction_api_v1_interactions__interaction_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/interactions/{interaction_id}/fhir": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One interaction as a FHIR R4 Communication, for the EHR */
        get: operations["communication_api_v1_interactions__interaction_id__fhir_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/interactions/{interaction_id}/patient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Attach an unknown caller's call, voicemail or text to the patient it was */
        post: operations["attach_patient_api_v1_interactions__interaction_id__patient_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Locations */
        get: operations["list_locations_api_v1_locations_get"];
        put?: never;
        /** Create Location */
        post: operations["create_location_api_v1_locations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{location_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Location */
        get: operations["get_location_api_v1_locations__location_id__get"];
        put?: never;
        post?: never;
        /** Delete a location no department or staff member belongs to */
        delete: operations["delete_location_api_v1_locations__location_id__delete"];
        options?: never;
        head?: never;
        /** Update Location */
        patch: operations["update_location_api_v1_locations__location_id__patch"];
        trace?: never;
    };
    "/api/v1/locations/{location_id}/closures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add one closure (every other stays as it is)
         * @description The same closure added twice is one closure (its id comes from its dates and reason). Use this rather than PATCH with `closures`, which replaces the whole list and can undo a colleague's edit made meanwhile.
         */
        post: operations["add_closure_api_v1_locations__location_id__closures_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{location_id}/closures/{closure_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove one closure by its id */
        delete: operations["remove_closure_api_v1_locations__location_id__closures__closure_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{location_id}/days": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open or closed on each local day (default: the next 14 from today)
         * @description Each day's opening periods in the location's wall time: the weekly hours after an observed public holiday (named) and the local closures (listed).
         */
        get: operations["location_days_api_v1_locations__location_id__days_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{location_id}/open-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Is the location open at an instant (default now), and when does it next open */
        get: operations["open_status_api_v1_locations__location_id__open_status_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/messages/{message_id}/send-now": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a text held for quiet hours now (the same message: never twice)
         * @description 409 `message-not-waiting` when it already went or ended.
         */
        post: operations["send_now_api_v1_messages__message_id__send_now_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organisation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation */
        get: operations["get_organisation_api_v1_organisation_get"];
        /** Set the organisation */
        put: operations["set_organisation_api_v1_organisation_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Messages and calls held by the outbox */
        get: operations["get_outbox_api_v1_outbox_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Patients of my locations */
        get: operations["list_patients_api_v1_patients_get"];
        put?: never;
        /** Register a patient */
        post: operations["create_patient_api_v1_patients_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Find patients by phone number, MRN, or family name + date of birth */
        post: operations["search_patients_api_v1_patients_search_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/summaries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Names of up to 200 patients at once (those in your clinics), in the order asked
         * @description For lists (a day's appointments, a worklist): one request instead of one per row.
         *     Ids outside your clinics are left out; each patient returned is audited.
         */
        post: operations["patient_summaries_api_v1_patients_summaries_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{patient_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One patient */
        get: operations["get_patient_api_v1_patients__patient_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change some fields of a patient (lists given replace the whole list) */
        patch: operations["update_patient_api_v1_patients__patient_id__patch"];
        trace?: never;
    };
    "/api/v1/patients/{patient_id}/break-glass": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Open a patient outside my locations for a few hours, with a reason (reviewed) */
        post: operations["break_glass_api_v1_patients__patient_id__break_glass_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{patient_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Text a patient from the clinic (through the provider, once per Idempotency-Key)
         * @description Sent from the clinic's sender; refused (409 `patient-opted-out`) after STOP;
         *     held for quiet hours unless `respect_quiet_hours` is false. The same key again
         *     returns the first answer and sends nothing.
         */
        post: operations["send_message_api_v1_patients__patient_id__messages_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{patient_id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a staff note to a patient's timeline */
        post: operations["add_note_api_v1_patients__patient_id__notes_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{patient_id}/sms-consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Record that the patient opted in to or out of text messages */
        put: operations["set_sms_consent_api_v1_patients__patient_id__sms_consent_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{patient_id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every contact with a patient, newest first, with its events in order */
        get: operations["get_timeline_api_v1_patients__patient_id__timeline_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reminder-plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Configured reminder plans (the default applies where none matches) */
        get: operations["list_plans_api_v1_reminder_plans_get"];
        /** Create or replace the reminder plan of a location and/or appointment type */
        put: operations["set_plan_api_v1_reminder_plans_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reminder-plans/effective": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The plan that applies to a location and appointment type */
        get: operations["effective_plan_api_v1_reminder_plans_effective_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/phi-channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every channel patient information went through in a period (default 30 days)
         * @description Counts only: calls by direction, texts by sender, voicemails, API tokens that read
         *     patients, break-glass openings, FHIR imports and exports. Audited.
         */
        get: operations["phi_channels_api_v1_reports_phi_channels_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/reminders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reminders sent/delivered/confirmed, cancellations and no-shows (JSON or CSV) */
        get: operations["reminder_report_api_v1_reports_reminders_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/waitlist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Waitlist metrics per location and appointment type (json or csv) */
        get: operations["waitlist_report_api_v1_reports_waitlist_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/slots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open capacity: free slots, soonest first */
        get: operations["list_free_slots_api_v1_slots_get"];
        put?: never;
        /** Publish a free slot of a provider's time */
        post: operations["create_slot_api_v1_slots_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/slots/{slot_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One slot */
        get: operations["get_slot_api_v1_slots__slot_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/slots/{slot_id}/block": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take a free slot out of open capacity */
        post: operations["block_slot_api_v1_slots__slot_id__block_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/slots/{slot_id}/unblock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Offer a blocked slot again */
        post: operations["unblock_slot_api_v1_slots__slot_id__unblock_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Staff */
        get: operations["list_staff_api_v1_staff_get"];
        put?: never;
        /** Create Staff */
        post: operations["create_staff_api_v1_staff_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/staff/available": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Available staff matching the filters, longest-available first */
        get: operations["available_staff_api_v1_staff_available_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/staff/{staff_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Staff */
        get: operations["get_staff_api_v1_staff__staff_id__get"];
        put?: never;
        post?: never;
        /** Delete Staff */
        delete: operations["delete_staff_api_v1_staff__staff_id__delete"];
        options?: never;
        head?: never;
        /** Update Staff */
        patch: operations["update_staff_api_v1_staff__staff_id__patch"];
        trace?: never;
    };
    "/api/v1/staff/{staff_id}/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a staff member's presence (available, busy, wrap_up, away, offline) */
        put: operations["set_presence_api_v1_staff__staff_id__presence_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Front-desk and clinical tasks in working order: most urgent first (emergencies, urgent, then routine), then the soonest due, then the oldest
         * @description Due times: an emergency is due at once, an urgent task within 15 minutes, a
         *     routine one by the end of its clinic's business day. Tasks of clinics outside
         *     yours are left out.
         */
        get: operations["list_tasks_api_v1_tasks_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One task with what is needed to act on it (number, transcript, appointment)
         * @description The number to call back (the caller's, else the patient's; decrypted), the
         *     voicemail transcript or the text's words, whether a recording exists, and the
         *     linked appointment. Reading it is audited (`task.detail`, and each PHI read).
         */
        get: operations["get_task_api_v1_tasks__task_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}/call-back": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Call the patient back through the clinic's number: your phone rings first
         * @description careline rings your staff record's phone from the clinic's main number; when you
         *     answer, it connects you to the number on the task with the clinic's number as the
         *     caller id (your own number is never shown to the patient). The task is claimed by
         *     you and the call goes on the patient's timeline. 409 `no-staff-phone`,
         *     `no-clinic-number`, `no-number-to-call` or `call-not-placed` say what to fix.
         */
        post: operations["call_back_api_v1_tasks__task_id__call_back_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Claim a task, so colleagues see you are on it
         * @description Claiming your own task again changes nothing. A task a colleague holds answers
         *     409 `task-claimed` (naming them); a clinic manager may take it over with
         *     `{"take_over": true}`. A done task answers 409 `task-done`. API tokens cannot
         *     claim (403 `claim-needs-user`).
         */
        post: operations["claim_task_api_v1_tasks__task_id__claim_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}/done": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve a task, optionally with a note for the patient's timeline
         * @description With `{"note": "..."}` the note lands on the patient's timeline as a staff note
         *     (422 when the task has no patient yet). A task a colleague holds answers 409
         *     `task-claimed`. Resolving a done task again changes nothing.
         */
        post: operations["complete_task_api_v1_tasks__task_id__done_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Release a task you claimed, back to everyone
         * @description Releasing an unclaimed task changes nothing; a colleague's claim answers 409
         *     `task-claimed` (a clinic manager may release it).
         */
        post: operations["release_task_api_v1_tasks__task_id__release_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Tokens */
        get: operations["list_tokens_api_v1_tokens_get"];
        put?: never;
        /** Create an API token (the secret is shown once) */
        post: operations["create_token_api_v1_tokens_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke Token */
        delete: operations["revoke_token_api_v1_tokens__token_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Users
         * @description The users who work at your clinics (everyone, for a network-wide role).
         */
        get: operations["list_users_api_v1_users_get"];
        put?: never;
        /** Create User */
        post: operations["create_user_api_v1_users_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get User */
        get: operations["get_user_api_v1_users__user_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}/active": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set Active */
        put: operations["set_active_api_v1_users__user_id__active_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}/mfa-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reset Mfa */
        post: operations["reset_mfa_api_v1_users__user_id__mfa_reset_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace a user's roles (never your own; never beyond your own roles and clinics) */
        put: operations["set_roles_api_v1_users__user_id__roles_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unlock User */
        post: operations["unlock_user_api_v1_users__user_id__unlock_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waitlist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Entries of a patient or a location */
        get: operations["list_entries_api_v1_waitlist_get"];
        put?: never;
        /** Add to the waitlist */
        post: operations["create_entry_api_v1_waitlist_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waitlist/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Wave plan */
        put: operations["set_wave_settings_api_v1_waitlist_settings_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waitlist/slots/{slot_id}/offer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Offer a free slot to the waitlist now */
        post: operations["offer_slot_api_v1_waitlist_slots__slot_id__offer_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waitlist/slots/{slot_id}/offers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who a slot was offered to, and who took it (first sent first) */
        get: operations["slot_offers_api_v1_waitlist_slots__slot_id__offers_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waitlist/{entry_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One entry */
        get: operations["get_entry_api_v1_waitlist__entry_id__get"];
        put?: never;
        post?: never;
        /** Withdraw */
        delete: operations["withdraw_entry_api_v1_waitlist__entry_id__delete"];
        options?: never;
        head?: never;
        /** Change or withdraw */
        patch: operations["update_entry_api_v1_waitlist__entry_id__patch"];
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: operations["healthz_healthz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Operational metrics for Prometheus (no PHI)
         * @description Send `Authorization: Bearer <CARELINE_METRICS_TOKEN>`; without a token only development and test answer. Every metric is listed in docs/metrics.md.
         */
        get: operations["scrape_metrics_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database answers */
        get: operations["readyz_readyz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/sms/inbound": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The provider's inbound SMS webhook (signed); answers in TwiML */
        post: operations["inbound_sms_telephony_sms_inbound_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/sms/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A message's delivery status (the provider's status callback) */
        post: operations["sms_status_telephony_sms_status_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/agent-answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An agent picked up a call careline rang them for (their whisper) */
        post: operations["agent_answer_telephony_voice_agent_answer_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/agent-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The dial to an agent ended (answered and finished, or missed) */
        post: operations["agent_status_telephony_voice_agent_status_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/call-back": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A staff member picked up the call back careline rang them for (worklist) */
        post: operations["call_back_telephony_voice_call_back_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/call-back-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The patient's leg of a call back ended */
        post: operations["call_back_status_telephony_voice_call_back_status_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/dial-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A transfer ended */
        post: operations["dial_status_telephony_voice_dial_status_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/fallback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The safe plan when careline fails (needs no database) */
        post: operations["fallback_plan_telephony_voice_fallback_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/gather": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The caller pressed or said something */
        post: operations["gathered_telephony_voice_gather_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/identify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A shared number's caller keyed the patient's date of birth (or spoke) */
        post: operations["identify_telephony_voice_identify_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/incoming": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A call arrives (voice URL) */
        post: operations["incoming_telephony_voice_incoming_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/no-input": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The caller said nothing */
        post: operations["no_input_telephony_voice_no_input_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/queue-leave": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A waiting caller accepts a call back */
        post: operations["queue_leave_telephony_voice_queue_leave_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/queue-redirect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A caller the provider took out of a queue for a reserved agent: ring them */
        post: operations["queue_redirect_telephony_voice_queue_redirect_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/queue-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The caller left a queue */
        post: operations["queue_status_telephony_voice_queue_status_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/queue-wait": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** What a waiting caller hears */
        post: operations["queue_wait_telephony_voice_queue_wait_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/recording": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A voicemail was recorded */
        post: operations["recording_telephony_voice_recording_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/reminder": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A patient answered a reminder call */
        post: operations["reminder_call_telephony_voice_reminder_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/reminder-input": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The patient's keypad answer to a reminder call (1, 2, 3) */
        post: operations["reminder_input_telephony_voice_reminder_input_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/speech": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A spoken answer recorded for on-premise recognition (menus, triage) */
        post: operations["speech_telephony_voice_speech_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The call ended */
        post: operations["status_telephony_voice_status_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/transcription": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A voicemail's transcript */
        post: operations["transcription_telephony_voice_transcription_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telephony/voice/whisper": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** What a warm-transfer target hears */
        post: operations["whisper_telephony_voice_whisper_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** ActiveUpdate */
        ActiveUpdate: {
            /** Active */
            active: boolean;
        };
        /**
         * Address
         * @description A postal address. `country` is ISO 3166-1 alpha-2.
         */
        Address: {
            /** City */
            city: string;
            /**
             * Country
             * @example US
             */
            country: string;
            /** Line1 */
            line1: string;
            /** Line2 */
            line2?: string | null;
            /** Postal Code */
            postal_code?: string | null;
            /**
             * Region
             * @description State or province
             */
            region?: string | null;
        };
        /**
         * AnsweringServiceNode
         * @description Hand the call to an external answering service.
         */
        AnsweringServiceNode: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "answering_service";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /** No Answer */
            no_answer?: string | null;
            /** Number */
            number: string;
            position?: components["schemas"]["Position"] | null;
            prompt?: components["schemas"]["Prompt"] | null;
            /**
             * Timeout Seconds
             * @default 30
             */
            timeout_seconds: number;
        };
        /**
         * AppointmentCreate
         * @description Book a patient into a free slot (`slot_id`), or at a time with a provider
         *     (`staff_id`, `location_id`, `start`, `duration_minutes`).
         */
        AppointmentCreate: {
            /** @description Defaults to the slot's type when booking a slot */
            appointment_type?: components["schemas"]["AppointmentType"] | null;
            /** Department Id */
            department_id?: string | null;
            /** Duration Minutes */
            duration_minutes?: number | null;
            /** Location Id */
            location_id?: string | null;
            /** Patient Id */
            patient_id: string;
            /** Slot Id */
            slot_id?: string | null;
            /**
             * Source
             * @default careline
             * @enum {string}
             */
            source: "careline" | "waitlist";
            /** Staff Id */
            staff_id?: string | null;
            /** Start */
            start?: string | null;
        };
        /**
         * AppointmentSource
         * @enum {string}
         */
        AppointmentSource: "ehr" | "careline" | "waitlist";
        /**
         * AppointmentStatus
         * @enum {string}
         */
        AppointmentStatus: "booked" | "confirmed" | "cancelled" | "noshow" | "arrived" | "fulfilled";
        /**
         * AppointmentType
         * @description What kind of visit: a code (from the EHR or the clinic) and how to show it.
         */
        AppointmentType: {
            /**
             * Code
             * @example FOLLOWUP
             */
            code: string;
            /**
             * Display
             * @example Follow-up visit
             */
            display: string;
        };
        /** AppointmentView */
        AppointmentView: {
            appointment_type: components["schemas"]["AppointmentType"];
            cancellation_reason: components["schemas"]["CancelReason"] | null;
            confirmed_via?: components["schemas"]["ConfirmedVia"] | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Department Id */
            department_id: string | null;
            /** Duration Minutes */
            duration_minutes: number;
            /**
             * End
             * Format: date-time
             */
            end: string;
            /** External Id */
            external_id: string | null;
            /** Id */
            id: string;
            /**
             * Interaction Id
             * @description The patient-timeline entry of this appointment
             */
            interaction_id: string | null;
            /** Location Id */
            location_id: string;
            /** Patient Id */
            patient_id: string;
            /** Slot Id */
            slot_id: string | null;
            source: components["schemas"]["AppointmentSource"];
            /** Staff Id */
            staff_id: string;
            /**
             * Start
             * Format: date-time
             */
            start: string;
            status: components["schemas"]["AppointmentStatus"];
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** AuditEntryView */
        AuditEntryView: {
            /** Action */
            action: string;
            /** Actor Name */
            actor_name: string;
            /** Actor User Id */
            actor_user_id: string | null;
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Details */
            details: {
                [key: string]: unknown;
            };
            /** Flagged */
            flagged: boolean;
            /** Ip */
            ip: string | null;
            /** Outcome */
            outcome: string;
            /** Patient Id */
            patient_id: string | null;
            /** Resource Id */
            resource_id: string | null;
            /** Resource Type */
            resource_type: string | null;
            /** Seq */
            seq: number;
        };
        /**
         * AuditSearchRequest
         * @description A POST body, so a patient's name and date of birth never appear in a URL.
         */
        AuditSearchRequest: {
            /** Action */
            action?: string | null;
            /**
             * Date Of Birth
             * @description The patient's date of birth; always with family_name
             */
            date_of_birth?: string | null;
            /**
             * Family Name
             * @description The patient's family name; always with date_of_birth
             */
            family_name?: string | null;
            /**
             * Flagged Only
             * @default false
             */
            flagged_only: boolean;
            /**
             * Limit
             * @default 50
             */
            limit: number;
            /**
             * Offset
             * @default 0
             */
            offset: number;
            /** Patient Id */
            patient_id?: string | null;
            /** Since */
            since?: string | null;
            /**
             * Until
             * @description Exclusive
             */
            until?: string | null;
            /**
             * User Id
             * @description Who acted
             */
            user_id?: string | null;
        };
        /** BindingCreate */
        BindingCreate: {
            /**
             * Location Id
             * @description Whose hours and queues the flow uses for calls to this number
             */
            location_id?: string | null;
            /**
             * Number
             * @example +13125550100
             */
            number: string;
        };
        /** BindingView */
        BindingView: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Flow Id */
            flow_id: string;
            /** Id */
            id: string;
            /** Location Id */
            location_id: string | null;
            /** Number */
            number: string;
        };
        /**
         * BranchNode
         * @description Take the first rule whose conditions all hold, else `default`.
         */
        BranchNode: {
            /** Default */
            default?: string | null;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "branch";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            position?: components["schemas"]["Position"] | null;
            /** Rules */
            rules?: components["schemas"]["BranchRule"][];
        };
        /** BranchRule */
        BranchRule: {
            /** Next */
            next?: string | null;
            /**
             * When
             * @description All must hold
             */
            when: components["schemas"]["Condition"][];
        };
        /** BreakGlassRequest */
        BreakGlassRequest: {
            /**
             * Reason
             * @description Why care needs this record
             */
            reason: string;
        };
        /** BreakGlassView */
        BreakGlassView: {
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /** Patient Id */
            patient_id: string;
        };
        /**
         * CallCardView
         * @description The incoming call card. Queue facts are always there; the caller's words, their
         *     patient, history and tasks only for agents who may read patients at the call's
         *     clinic (`phi_withheld` says when they were left out).
         */
        CallCardView: {
            /** Answered At */
            answered_at: string | null;
            /** Department */
            department: string;
            disposition: components["schemas"]["Disposition"] | null;
            /** Ended At */
            ended_at: string | null;
            /**
             * Entered At
             * Format: date-time
             */
            entered_at: string;
            /** Entry Id */
            entry_id: string;
            /** Interaction Id */
            interaction_id: string | null;
            /** Interpreter */
            interpreter: boolean;
            /** Language */
            language: string | null;
            /** Location Id */
            location_id: string | null;
            /** Offered At */
            offered_at: string | null;
            /** Open Tasks */
            open_tasks: components["schemas"]["OpenTask"][];
            /** Overflow */
            overflow: boolean;
            patient: components["schemas"]["CallerPatient"] | null;
            /** Phi Withheld */
            phi_withheld: boolean;
            /** Priority */
            priority: string;
            /** Recent */
            recent: components["schemas"]["RecentInteraction"][];
            status: components["schemas"]["CardStatus"];
            triage: components["schemas"]["CallTriage"] | null;
            /** Waited Seconds */
            waited_seconds: number;
            /** Wrap Up Ends At */
            wrap_up_ends_at: string | null;
        };
        /**
         * CallTriage
         * @description What careline's triage made of the caller's words on this call (the last
         *     decision the flow acted on), and the words themselves (PHI).
         */
        CallTriage: {
            /** Drivers */
            drivers: components["schemas"]["TriageWord"][];
            /** Escalated */
            escalated: boolean;
            /** Intent */
            intent: string | null;
            /** Urgency */
            urgency: string;
            /** Words */
            words: string | null;
        };
        /**
         * CallbackNode
         * @description Offer a call back that keeps the caller's place in line.
         */
        CallbackNode: {
            /**
             * Accept Digit
             * @default 1
             */
            accept_digit: string;
            /** Accept Phrases */
            accept_phrases?: {
                [key: string]: string[];
            };
            confirmation?: components["schemas"]["Prompt"] | null;
            /** Declined */
            declined?: string | null;
            /** @description null: the department of the queue the caller was in */
            department?: components["schemas"]["DepartmentKind"] | null;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "callback";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /**
             * Min Confidence
             * @default 0.4
             */
            min_confidence: number;
            position?: components["schemas"]["Position"] | null;
            prompt: components["schemas"]["Prompt"];
            /**
             * Retries
             * @default 1
             */
            retries: number;
            /**
             * Timeout Seconds
             * @default 5
             */
            timeout_seconds: number;
        };
        /**
         * CallbackRinging
         * @description The call back is under way: the staff member's phone is ringing.
         */
        CallbackRinging: {
            /**
             * Interaction Id
             * @description The outbound call on the patient's timeline
             */
            interaction_id: string;
            /**
             * Ringing
             * @description The phone that rings, masked (…0142)
             */
            ringing: string;
        };
        /**
         * CallerPatient
         * @description The patient the call is about. `verified`: the caller proved it (date of birth
         *     on the keypad); otherwise careline only matched the calling number.
         */
        CallerPatient: {
            /**
             * Identified By
             * @description caller_id, or how the caller verified (birth_date, birth_date+first_name)
             */
            identified_by: string;
            /** Patient Id */
            patient_id: string;
            /** Verified */
            verified: boolean;
        };
        /**
         * CancelReason
         * @description Why an appointment was cancelled: a closed list, so no free text (PHI) is stored.
         * @enum {string}
         */
        CancelReason: "patient" | "provider" | "clinic" | "weather" | "duplicate" | "other";
        /** CancelRequest */
        CancelRequest: {
            reason: components["schemas"]["CancelReason"];
        };
        /**
         * CardStatus
         * @description Where the agent is with the card's call: ringing, talking, or writing it up.
         * @enum {string}
         */
        CardStatus: "offered" | "connected" | "wrap_up";
        /** CaregiverIn */
        CaregiverIn: {
            /**
             * May Receive Messages
             * @default false
             */
            may_receive_messages: boolean;
            /** Name */
            name: string;
            /** Phone */
            phone: string;
            /** @default other */
            relationship: components["schemas"]["Relationship"];
        };
        /** CaregiverView */
        CaregiverView: {
            /** Id */
            id: string;
            /** May Receive Messages */
            may_receive_messages: boolean;
            /** Name */
            name: string;
            /** Phone */
            phone: string;
            relationship: components["schemas"]["Relationship"];
        };
        /** ChainStatus */
        ChainStatus: {
            /** Checked */
            checked: number;
            /** First Bad Seq */
            first_bad_seq: number | null;
            /** Ok */
            ok: boolean;
            /** Problem */
            problem: string | null;
        };
        /**
         * Channel
         * @enum {string}
         */
        Channel: "voice" | "sms" | "voicemail" | "reminder" | "offer" | "note";
        /**
         * ChannelLine
         * @description One channel in the period.
         */
        ChannelLine: {
            /**
             * Audit Action
             * @description Search the audit log for this action to see the entries
             */
            audit_action?: string | null;
            /**
             * Channel
             * @description calls | texts | voicemails | api-tokens | break-glass | fhir
             */
            channel: string;
            /**
             * Count
             * @description Calls, messages, reads or exchanges in the period
             */
            count: number;
            /**
             * Detail
             * @description Which one: 'inbound', a sender, a token's name...
             */
            detail: string;
            /**
             * Flagged
             * @description Worth an auditor's look
             * @default false
             */
            flagged: boolean;
            /**
             * Patients
             * @description Distinct patients involved (known ones)
             */
            patients: number;
            /**
             * Unknown
             * @description Of `count`, contacts with no known patient
             * @default 0
             */
            unknown: number;
            /**
             * Why
             * @description Why it is flagged
             */
            why?: string | null;
        };
        /**
         * Closure
         * @description A local closure (e.g. 'Staff training'). The reason is shown to staff and callers:
         *     never PHI. Give both `closed_from` and `closed_until` for a part-day closure.
         */
        Closure: {
            /** Closed From */
            closed_from?: string | null;
            /** Closed Until */
            closed_until?: string | null;
            /**
             * Ends On
             * @description Defaults to starts_on
             */
            ends_on?: string | null;
            /**
             * Reason
             * @example Staff training
             */
            reason: string;
            /**
             * Starts On
             * Format: date
             */
            starts_on: string;
        };
        /**
         * ClosureView
         * @description A stored closure with its id, for removing just that one
         *     (`DELETE /locations/{location_id}/closures/{closure_id}`).
         */
        ClosureView: {
            /** Closed From */
            closed_from?: string | null;
            /** Closed Until */
            closed_until?: string | null;
            /**
             * Ends On
             * @description Defaults to starts_on
             */
            ends_on?: string | null;
            /**
             * Id
             * @description Stable id of this closure (from its dates and reason)
             */
            id: string;
            /**
             * Reason
             * @example Staff training
             */
            reason: string;
            /**
             * Starts On
             * Format: date
             */
            starts_on: string;
        };
        /**
         * Condition
         * @description `fact op value`, e.g. {"fact": "language", "op": "eq", "value": "es"}.
         */
        Condition: {
            /** Fact */
            fact: string;
            /**
             * Op
             * @default eq
             * @enum {string}
             */
            op: "eq" | "ne" | "in" | "not_in" | "lt" | "le" | "gt" | "ge";
            /** Value */
            value?: boolean | number | string | (boolean | number | string | null)[] | null;
        };
        /**
         * ConfirmedVia
         * @description How an appointment came to be confirmed: the front desk reads "confirmed by
         *     reminder" differently from a confirmation someone took by phone.
         * @enum {string}
         */
        ConfirmedVia: "reminder_text" | "reminder_call" | "staff";
        /** ConsoleEntry */
        ConsoleEntry: {
            /** Action */
            action: string;
            /** Actor Name */
            actor_name: string;
            /** Actor User Id */
            actor_user_id: string | null;
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Break Glass */
            break_glass: boolean;
            /** Details */
            details: {
                [key: string]: unknown;
            };
            /** Flagged */
            flagged: boolean;
            /** Ip */
            ip: string | null;
            /** Outcome */
            outcome: string;
            /** Patient Id */
            patient_id: string | null;
            /** Resource Id */
            resource_id: string | null;
            /** Resource Type */
            resource_type: string | null;
            review: components["schemas"]["ReviewView"] | null;
            /** Seq */
            seq: number;
        };
        /** ConsoleResult */
        ConsoleResult: {
            /** Items */
            items: components["schemas"]["ConsoleEntry"][];
            /** Limit */
            limit: number;
            /** Matched Patient Ids */
            matched_patient_ids: string[] | null;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /**
         * ConversationAssign
         * @description Give a conversation to a colleague (or yourself); null: nobody has it.
         */
        ConversationAssign: {
            /** User Id */
            user_id?: string | null;
        };
        /** ConversationAssignee */
        ConversationAssignee: {
            /** Assigned Name */
            assigned_name: string | null;
            /** Assigned To */
            assigned_to: string | null;
        };
        /**
         * ConversationView
         * @description One patient's (or one unattached number's) texts, as the inbox lists them.
         */
        ConversationView: {
            /** Assigned Name */
            assigned_name?: string | null;
            /** Assigned To */
            assigned_to?: string | null;
            /** Interaction Id */
            interaction_id: string;
            /** Key */
            key: string;
            /**
             * Last At
             * Format: date-time
             */
            last_at: string;
            last_direction: components["schemas"]["Direction"];
            /** Last Text */
            last_text: string | null;
            /** Location Id */
            location_id: string | null;
            /** Needs Reply */
            needs_reply: boolean;
            /** Number */
            number: string | null;
            /** Patient Id */
            patient_id: string | null;
            /** Patient Name */
            patient_name: string | null;
            /**
             * Unread
             * @default false
             */
            unread: boolean;
            /** Urgency */
            urgency: string | null;
        };
        /**
         * CurrentCallView
         * @description The call an agent is being offered or is on (ids and codes only).
         */
        CurrentCallView: {
            /** Answered At */
            answered_at: string | null;
            /** Department */
            department: string;
            /**
             * Entered At
             * Format: date-time
             */
            entered_at: string;
            /** Entry Id */
            entry_id: string;
            /** Interpreter */
            interpreter: boolean;
            /** Language */
            language: string | null;
            /** Location Id */
            location_id: string | null;
            /** Offered At */
            offered_at: string | null;
            /** Overflow */
            overflow: boolean;
            /** Priority */
            priority: string;
            status: components["schemas"]["careline__desk__model__EntryStatus"];
        };
        /**
         * DayStatus
         * @description One local calendar day of a location: open or not, when, and why not.
         */
        DayStatus: {
            /**
             * Closures
             * @description The local closures that touch the day
             */
            closures: components["schemas"]["ClosureView"][];
            /**
             * Day
             * Format: date
             * @description The local calendar date
             */
            day: string;
            /**
             * Holiday
             * @description The observed public holiday's name, if any
             */
            holiday: string | null;
            /**
             * Open
             * @description Open at some time of the day
             */
            open: boolean;
            /**
             * Periods
             * @description When it is open that day, after holidays and closures
             */
            periods: components["schemas"]["OpenPeriod"][];
            /**
             * Weekday
             * @description 0 = Monday ... 6 = Sunday
             */
            weekday: number;
        };
        /** DepartmentCreate */
        DepartmentCreate: {
            kind: components["schemas"]["DepartmentKind"];
            /**
             * Location Id
             * @description null = network-wide
             */
            location_id?: string | null;
            /** Name */
            name: string;
        };
        /**
         * DepartmentKind
         * @enum {string}
         */
        DepartmentKind: "scheduling" | "nurse_triage" | "billing" | "refills" | "results" | "referrals" | "records" | "oncology" | "pediatrics" | "behavioral_health" | "imaging" | "general";
        /** DepartmentUpdate */
        DepartmentUpdate: {
            kind?: components["schemas"]["DepartmentKind"] | null;
            /** Location Id */
            location_id?: string | null;
            /** Name */
            name?: string | null;
        };
        /** DepartmentView */
        DepartmentView: {
            /** Id */
            id: string;
            kind: components["schemas"]["DepartmentKind"];
            /** Location Id */
            location_id: string | null;
            /** Name */
            name: string;
        };
        /**
         * DeskPresence
         * @description What an agent may set by hand; busy and wrap-up come from calls.
         */
        DeskPresence: {
            /** @description available, away or offline */
            state: components["schemas"]["PresenceState"];
        };
        /** DeskView */
        DeskView: {
            current_call: components["schemas"]["CurrentCallView"] | null;
            presence: components["schemas"]["PresenceState"];
            /**
             * Presence Since
             * Format: date-time
             */
            presence_since: string;
            /** Staff Id */
            staff_id: string;
            /** Waiting For Me */
            waiting_for_me: {
                [key: string]: number;
            };
        };
        /**
         * DialMode
         * @enum {string}
         */
        DialMode: "cold" | "warm";
        /**
         * Direction
         * @enum {string}
         */
        Direction: "inbound" | "outbound" | "internal";
        /**
         * DispatchAddress
         * @description Where emergency services should go (E911 dispatchable location).
         */
        DispatchAddress: {
            /** City */
            city: string;
            /**
             * Country
             * @example US
             */
            country: string;
            /** Line1 */
            line1: string;
            /** Line2 */
            line2?: string | null;
            /**
             * Location Detail
             * @example Floor 2, Suite 210
             */
            location_detail?: string | null;
            /** Postal Code */
            postal_code?: string | null;
            /**
             * Region
             * @description State or province
             */
            region?: string | null;
        };
        /**
         * Disposition
         * @description How a call ended, as the agent records it in wrap-up (a short, fixed list so
         *     reports can count them).
         * @enum {string}
         */
        Disposition: "resolved" | "appointment_booked" | "message_taken" | "callback_needed" | "transferred" | "clinical_advice" | "wrong_number" | "other";
        /** DraftUpdate */
        DraftUpdate: {
            /**
             * Base Revision
             * @description The draft revision this edit started from; a newer draft refuses (409)
             */
            base_revision?: number | null;
            document: components["schemas"]["FlowDocument"];
        };
        /**
         * EmergencyNode
         * @description Emergency guidance (e.g. 911 / 988), then `next` (e.g. a clinician) or hang up.
         */
        EmergencyNode: {
            guidance: components["schemas"]["Prompt"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "emergency";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /** Next */
            next?: string | null;
            position?: components["schemas"]["Position"] | null;
        };
        /**
         * Endpoint
         * @description Where a staff member can be reached: a phone number (E.164) or a SIP URI.
         */
        Endpoint: {
            /**
             * Address
             * @example +13125550142
             * @example sip:frontdesk@pbx.example.org
             */
            address: string;
            /** @description Where this device is, for emergency calls placed from it */
            e911_address?: components["schemas"]["DispatchAddress"] | null;
            kind: components["schemas"]["EndpointKind"];
            /**
             * Label
             * @example Desk phone
             */
            label?: string | null;
            /**
             * @description organisation (desk phone, softphone, managed mobile) or personal
             * @default organisation
             */
            managed_by: components["schemas"]["EndpointOwner"];
        };
        /**
         * EndpointKind
         * @enum {string}
         */
        EndpointKind: "phone" | "sip";
        /**
         * EndpointOwner
         * @description Who governs the device: the organisation (desk phones, softphones, managed
         *     mobiles) or the staff member (a personal mobile). Patient calls that reach a
         *     personal device are shown to auditors in the PHI channel report.
         * @enum {string}
         */
        EndpointOwner: "organisation" | "personal";
        /** EnrolmentRequest */
        EnrolmentRequest: {
            /** Password */
            password: string;
            /** Username */
            username: string;
        };
        /**
         * EnrolmentView
         * @description Scan `qr_svg` (or type `secret`) into an authenticator app, then sign in with
         *     the code it shows: that first code completes the set-up.
         */
        EnrolmentView: {
            /** Otpauth Uri */
            otpauth_uri: string;
            /** Qr Svg */
            qr_svg: string;
            /** Secret */
            secret: string;
        };
        /**
         * EntryCreate
         * @description Put a patient on the waitlist for a department and/or an appointment type.
         */
        EntryCreate: {
            /**
             * Appointment Type
             * @example FOLLOWUP
             */
            appointment_type?: string | null;
            /** @default sms */
            channel: components["schemas"]["WaitChannel"];
            /** Department Id */
            department_id?: string | null;
            /**
             * Language
             * @default en
             */
            language: string;
            /** Location Ids */
            location_ids: string[];
            /** Patient Id */
            patient_id: string;
            /** Preferred Times */
            preferred_times?: components["schemas"]["TimeRange"][];
            /**
             * Priority
             * @description 1 = most urgent ... 5 = flexible
             * @default 3
             */
            priority: number;
            /**
             * Provider Required
             * @description Only the preferred provider will do (else it is a preference)
             * @default false
             */
            provider_required: boolean;
            /**
             * Staff Id
             * @description Preferred provider (any if null)
             */
            staff_id?: string | null;
            /** Window End */
            window_end?: string | null;
            /** Window Start */
            window_start?: string | null;
        };
        /**
         * EntryStatus
         * @enum {string}
         */
        "EntryStatus-Input": "waiting" | "offered" | "booked" | "withdrawn";
        /**
         * EntryUpdate
         * @description Change what a waiting patient accepts; `status: withdrawn` takes them off the list.
         */
        EntryUpdate: {
            channel?: components["schemas"]["WaitChannel"] | null;
            /** Language */
            language?: string | null;
            /** Location Ids */
            location_ids?: string[] | null;
            /** Preferred Times */
            preferred_times?: components["schemas"]["TimeRange"][] | null;
            /** Priority */
            priority?: number | null;
            /** Provider Required */
            provider_required?: boolean | null;
            /** Staff Id */
            staff_id?: string | null;
            /** Status */
            status?: ("withdrawn" | "waiting") | null;
            /** Window End */
            window_end?: string | null;
            /** Window Start */
            window_start?: string | null;
        };
        /** EntryView */
        EntryView: {
            /** Appointment Type */
            appointment_type: string | null;
            channel: components["schemas"]["WaitChannel"];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Department Id */
            department_id: string | null;
            /** Id */
            id: string;
            /** Language */
            language: string;
            /** Location Ids */
            location_ids: string[];
            /** Patient Id */
            patient_id: string;
            /** Preferred Times */
            preferred_times: components["schemas"]["TimeRange"][];
            /** Priority */
            priority: number;
            /** Provider Required */
            provider_required: boolean;
            /** Staff Id */
            staff_id: string | null;
            status: components["schemas"]["careline__waitlist__model__EntryStatus"];
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Window End */
            window_end: string | null;
            /** Window Start */
            window_start: string | null;
        };
        /** EventView */
        EventView: {
            /** Actor Name */
            actor_name: string;
            /** Actor User Id */
            actor_user_id: string | null;
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Data */
            data: {
                [key: string]: unknown;
            };
            /** Id */
            id: string;
            /** Interaction Id */
            interaction_id: string;
            /** Kind */
            kind: string;
            /** Seq */
            seq: number;
            /** Staff Id */
            staff_id: string | null;
            /** Text */
            text: string | null;
        };
        /** FieldError */
        FieldError: {
            /**
             * Field
             * @description Dotted path of the offending field, e.g. body.phones.0
             */
            field: string;
            /** Message */
            message: string;
        };
        /** FlowCreate */
        FlowCreate: {
            document: components["schemas"]["FlowDocument"];
        };
        /**
         * FlowDiff
         * @description What changed between two documents, by node id.
         */
        FlowDiff: {
            /** Added */
            added: string[];
            /** Changed */
            changed: string[];
            /** Removed */
            removed: string[];
            /**
             * Settings Changed
             * @description Flow-level fields that changed (entry, languages, fallback, name...)
             */
            settings_changed: string[];
        };
        /**
         * FlowDocument
         * @description One version of a call flow: where it starts, its languages (the first is the
         *     default) and its nodes by id. `fallback` (a voicemail or hangup node) is where the
         *     engine goes if a call ever runs out of steps.
         */
        FlowDocument: {
            /** Description */
            description?: string | null;
            /** Entry */
            entry: string;
            /** Fallback */
            fallback?: string | null;
            /**
             * Languages
             * @example [
             *       "en",
             *       "es"
             *     ]
             */
            languages: string[];
            /** Name */
            name: string;
            /** Nodes */
            nodes: {
                [key: string]: components["schemas"]["SayNode"] | components["schemas"]["MenuNode"] | components["schemas"]["LanguageNode"] | components["schemas"]["HoursNode"] | components["schemas"]["TriageNode"] | components["schemas"]["QueueNode"] | components["schemas"]["TransferNode"] | components["schemas"]["OnCallNode"] | components["schemas"]["VoicemailNode"] | components["schemas"]["CallbackNode"] | components["schemas"]["AnsweringServiceNode"] | components["schemas"]["EmergencyNode"] | components["schemas"]["SetNode"] | components["schemas"]["BranchNode"] | components["schemas"]["HangupNode"];
            };
            /** @description Where an emergency or urgent caller goes from any prompt */
            safety?: components["schemas"]["SafetyNet"] | null;
        };
        /** FlowSummary */
        FlowSummary: {
            /**
             * Current Version
             * @description null: never published
             */
            current_version: number | null;
            /** Draft Revision */
            draft_revision: number;
            /**
             * Draft Updated At
             * Format: date-time
             */
            draft_updated_at: string;
            /** Draft Updated By */
            draft_updated_by: string;
            /** Id */
            id: string;
            /** Name */
            name: string;
        };
        /** FlowVersionSummary */
        FlowVersionSummary: {
            /** Current */
            current: boolean;
            /** Flow Id */
            flow_id: string;
            /** Id */
            id: string;
            /** Number */
            number: number;
            /**
             * Published At
             * Format: date-time
             */
            published_at: string;
            /** Published By */
            published_by: string;
            /** Reason */
            reason: string;
            /**
             * Restored From
             * @description Set when a rollback put this document back
             */
            restored_from: number | null;
        };
        /** FlowVersionView */
        FlowVersionView: {
            /** Current */
            current: boolean;
            document: components["schemas"]["FlowDocument"];
            /** Flow Id */
            flow_id: string;
            /** Id */
            id: string;
            /** Number */
            number: number;
            /**
             * Published At
             * Format: date-time
             */
            published_at: string;
            /** Published By */
            published_by: string;
            /** Reason */
            reason: string;
            /**
             * Restored From
             * @description Set when a rollback put this document back
             */
            restored_from: number | null;
        };
        /** FlowView */
        FlowView: {
            /** Bindings */
            bindings: components["schemas"]["BindingView"][];
            /**
             * Current Version
             * @description null: never published
             */
            current_version: number | null;
            draft: components["schemas"]["FlowDocument"];
            /**
             * Draft Changed
             * @description The draft differs from the current version
             */
            draft_changed: boolean;
            /** Draft Revision */
            draft_revision: number;
            /**
             * Draft Updated At
             * Format: date-time
             */
            draft_updated_at: string;
            /** Draft Updated By */
            draft_updated_by: string;
            /** Id */
            id: string;
            /** Name */
            name: string;
        };
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /** HangupNode */
        HangupNode: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "hangup";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            position?: components["schemas"]["Position"] | null;
            /** @description A goodbye said first */
            prompt?: components["schemas"]["Prompt"] | null;
        };
        /** Health */
        Health: {
            /** Status */
            status: string;
            triage?: components["schemas"]["TriageHealth"] | null;
            /** Version */
            version: string;
        };
        /**
         * HoursNode
         * @description Branch on the location's calendar now: holiday, open, or closed.
         */
        HoursNode: {
            /** Closed */
            closed?: string | null;
            /**
             * Holiday
             * @description null: holidays take `closed`
             */
            holiday?: string | null;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "hours";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /**
             * Location Id
             * @description null: the location of the binding
             */
            location_id?: string | null;
            /** Open */
            open?: string | null;
            position?: components["schemas"]["Position"] | null;
        };
        /** InteractionView */
        InteractionView: {
            channel: components["schemas"]["Channel"];
            direction: components["schemas"]["Direction"];
            /** Ended At */
            ended_at: string | null;
            /** Events */
            events: components["schemas"]["EventView"][];
            /** External Ref */
            external_ref: string | null;
            /** Id */
            id: string;
            /** Location Id */
            location_id: string | null;
            /** Patient Id */
            patient_id: string | null;
            /** Staff Id */
            staff_id: string | null;
            /**
             * Started At
             * Format: date-time
             */
            started_at: string;
            /** Status */
            status: string;
            /** Summary */
            summary: string | null;
        };
        /**
         * LanguageNode
         * @description Let the caller choose a language. The prompt is played in every flow language;
         *     a caller whose preferred language is known skips the question (`skip_if_known`).
         */
        LanguageNode: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "language";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /**
             * Min Confidence
             * @default 0.4
             */
            min_confidence: number;
            /** Next */
            next?: string | null;
            /** Options */
            options?: components["schemas"]["LanguageOption"][];
            position?: components["schemas"]["Position"] | null;
            prompt: components["schemas"]["Prompt"];
            /**
             * Retries
             * @default 1
             */
            retries: number;
            /**
             * Skip If Known
             * @default true
             */
            skip_if_known: boolean;
            /**
             * Timeout Seconds
             * @default 5
             */
            timeout_seconds: number;
        };
        /** LanguageOption */
        LanguageOption: {
            /** Digit */
            digit?: string | null;
            /** Language */
            language: string;
            /**
             * Phrases
             * @example [
             *       "español",
             *       "spanish"
             *     ]
             */
            phrases?: string[];
        };
        /** LocationCreate */
        LocationCreate: {
            address: components["schemas"]["Address"];
            /** Closures */
            closures?: components["schemas"]["Closure"][];
            /**
             * Code
             * @description Short unique code, e.g. 'DT' or 'NORTH-2'
             */
            code: string;
            /** @description E911 dispatchable address; the postal address if absent */
            dispatch_address?: components["schemas"]["DispatchAddress"] | null;
            /**
             * Holiday Country
             * @description Defaults to the address's country
             */
            holiday_country?: string | null;
            /**
             * Holiday Subdivision
             * @example IL
             */
            holiday_subdivision?: string | null;
            /** Hours */
            hours?: components["schemas"]["OpeningHours"][];
            /** Main Phone */
            main_phone?: string | null;
            /** Name */
            name: string;
            /**
             * Observe Holidays
             * @default true
             */
            observe_holidays: boolean;
            /**
             * Sms Number
             * @description The clinic's own texting number: its patients' texts come from it (else the network's Messaging Service or default sender)
             */
            sms_number?: string | null;
            /**
             * Timezone
             * @example America/Chicago
             */
            timezone: string;
        };
        /** LocationDays */
        LocationDays: {
            /** Days */
            days: components["schemas"]["DayStatus"][];
            /** Location Id */
            location_id: string;
            /** Timezone */
            timezone: string;
        };
        /**
         * LocationUpdate
         * @description Fields to change; absent fields stay. `hours` and `closures` replace the lists.
         */
        LocationUpdate: {
            address?: components["schemas"]["Address"] | null;
            /** Closures */
            closures?: components["schemas"]["Closure"][] | null;
            /** Code */
            code?: string | null;
            dispatch_address?: components["schemas"]["DispatchAddress"] | null;
            /** Holiday Country */
            holiday_country?: string | null;
            /** Holiday Subdivision */
            holiday_subdivision?: string | null;
            /** Hours */
            hours?: components["schemas"]["OpeningHours"][] | null;
            /** Main Phone */
            main_phone?: string | null;
            /** Name */
            name?: string | null;
            /** Observe Holidays */
            observe_holidays?: boolean | null;
            /** Sms Number */
            sms_number?: string | null;
            /** Timezone */
            timezone?: string | null;
        };
        /** LocationView */
        LocationView: {
            address: components["schemas"]["Address"];
            /** Closures */
            closures: components["schemas"]["ClosureView"][];
            /** Code */
            code: string;
            /** @description Effective E911 address */
            dispatch_address: components["schemas"]["DispatchAddress"];
            /** Dispatch Address Is Postal */
            dispatch_address_is_postal: boolean;
            /** Holiday Country */
            holiday_country: string | null;
            /** Holiday Subdivision */
            holiday_subdivision: string | null;
            /** Hours */
            hours: components["schemas"]["OpeningHours"][];
            /** Id */
            id: string;
            /** Main Phone */
            main_phone: string | null;
            /** Name */
            name: string;
            /** Observe Holidays */
            observe_holidays: boolean;
            /** Sms Number */
            sms_number: string | null;
            /** Timezone */
            timezone: string;
        };
        /** LoginRequest */
        LoginRequest: {
            /** Password */
            password: string;
            /**
             * Totp
             * @description 6-digit TOTP code
             */
            totp?: string | null;
            /** Username */
            username: string;
        };
        /** Me */
        Me: {
            /** Permissions */
            permissions: string[];
            /** Session Id */
            session_id: string | null;
            user: components["schemas"]["UserView"];
        };
        /**
         * MenuNode
         * @description Ask, gather a digit or speech, and branch; retry, then take `no_input`/`no_match`.
         */
        MenuNode: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "menu";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /**
             * Min Confidence
             * @default 0.4
             */
            min_confidence: number;
            /**
             * No Input
             * @description After retries with no input at all
             */
            no_input?: string | null;
            /**
             * No Match
             * @description After retries with no match; else no_input
             */
            no_match?: string | null;
            /** Options */
            options?: components["schemas"]["MenuOption"][];
            position?: components["schemas"]["Position"] | null;
            prompt: components["schemas"]["Prompt"];
            /**
             * Retries
             * @description Extra attempts after the first
             * @default 2
             */
            retries: number;
            /** @description Said before a retry */
            retry_prompt?: components["schemas"]["Prompt"] | null;
            /**
             * Timeout Seconds
             * @default 5
             */
            timeout_seconds: number;
        };
        /**
         * MenuOption
         * @description One choice: a keypad digit and/or spoken phrases (per language).
         */
        MenuOption: {
            /** Digit */
            digit?: string | null;
            /**
             * Label
             * @description Logged with the choice, e.g. 'billing'
             */
            label?: string | null;
            /** Next */
            next?: string | null;
            /** Phrases */
            phrases?: {
                [key: string]: string[];
            };
        };
        /**
         * MessageChannel
         * @description How a message reaches the patient (named apart from the timeline's Channel: both
         *     appear in the API description).
         * @enum {string}
         */
        MessageChannel: "sms" | "voice";
        /**
         * MessageStatus
         * @enum {string}
         */
        MessageStatus: "pending" | "sent" | "delivered" | "failed" | "undeliverable";
        /** NewToken */
        NewToken: {
            /** Secret */
            secret: string;
            token: components["schemas"]["TokenView"];
        };
        /** NewUser */
        NewUser: {
            /** Totp Secret */
            totp_secret: string | null;
            /** Totp Uri */
            totp_uri: string | null;
            user: components["schemas"]["UserView"];
        };
        /** NoteCreate */
        NoteCreate: {
            /** Text */
            text: string;
        };
        /**
         * OfferStatus
         * @enum {string}
         */
        OfferStatus: "open" | "accepted" | "declined" | "expired" | "taken" | "unsent";
        /** OfferView */
        OfferView: {
            /** Entry Id */
            entry_id: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /** Id */
            id: string;
            /** Message Id */
            message_id: string | null;
            /** Opening Id */
            opening_id: string;
            /** Patient Id */
            patient_id: string;
            /** Responded At */
            responded_at: string | null;
            /**
             * Sent At
             * Format: date-time
             */
            sent_at: string;
            /** Slot Id */
            slot_id: string;
            status: components["schemas"]["OfferStatus"];
            /** Wave */
            wave: number;
        };
        /**
         * OnCallNode
         * @description Forward to whoever is on call now according to the rota (first match wins).
         */
        OnCallNode: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "oncall";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /** @default cold */
            mode: components["schemas"]["DialMode"];
            /**
             * No Answer
             * @description Also taken when nobody is on call
             */
            no_answer?: string | null;
            position?: components["schemas"]["Position"] | null;
            /** Rota */
            rota?: components["schemas"]["RotaEntry"][];
            /**
             * Timeout Seconds
             * @default 25
             */
            timeout_seconds: number;
            /**
             * Timezone
             * @description Of the rota's times of day; null: the call's location
             */
            timezone?: string | null;
        };
        /**
         * OpenPeriod
         * @description A stretch of one local day when the location is open (wall time).
         */
        OpenPeriod: {
            /**
             * Closes
             * @example 17:00
             * @example 24:00
             */
            closes: string;
            /**
             * Opens
             * @example 08:00
             */
            opens: string;
        };
        /** OpenStatus */
        OpenStatus: {
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Local Time */
            local_time: string;
            /** Location Id */
            location_id: string;
            /**
             * Next Open
             * @description At or after `at`; null if not within 30 days
             */
            next_open: string | null;
            /** Open */
            open: boolean;
            /** Timezone */
            timezone: string;
        };
        /** OpenTask */
        OpenTask: {
            /** Claimed By Name */
            claimed_by_name: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Due At */
            due_at: string | null;
            /** Id */
            id: string;
            /** Kind */
            kind: string;
            /** Urgency */
            urgency: string;
        };
        /**
         * OpeningHours
         * @description One weekly opening interval in local wall time; it cannot cross midnight.
         */
        OpeningHours: {
            /**
             * Closes
             * @example 17:00
             * @example 24:00
             */
            closes: string;
            /**
             * Opens
             * @example 08:00
             */
            opens: string;
            /**
             * Weekday
             * @description 0 = Monday ... 6 = Sunday
             */
            weekday: number;
        };
        /**
         * OpeningStatus
         * @enum {string}
         */
        OpeningStatus: "open" | "booking" | "filled" | "gone" | "exhausted";
        /** OpeningView */
        OpeningView: {
            /** Appointment Id */
            appointment_id: string | null;
            /** Appointment Type */
            appointment_type: string | null;
            /** Department Id */
            department_id: string | null;
            /** Filled At */
            filled_at: string | null;
            /** First Offer At */
            first_offer_at: string | null;
            /** Id */
            id: string;
            /** Location Id */
            location_id: string;
            /**
             * Opened At
             * Format: date-time
             */
            opened_at: string;
            /** Reason */
            reason: string;
            /** Slot Id */
            slot_id: string;
            status: components["schemas"]["OpeningStatus"];
            /** Waves Sent */
            waves_sent: number;
        };
        /** OrganisationUpdate */
        OrganisationUpdate: {
            /**
             * Country
             * @example US
             */
            country: string;
            /** Name */
            name: string;
        };
        /** OrganisationView */
        OrganisationView: {
            /** Country */
            country: string;
            /** Name */
            name: string;
        };
        /** OutboundMessageView */
        OutboundMessageView: {
            /** Attempts */
            attempts: number;
            /** Body */
            body: string;
            channel: components["schemas"]["MessageChannel"];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Delivered At */
            delivered_at: string | null;
            /**
             * Due At
             * Format: date-time
             */
            due_at: string;
            /** Encoding */
            encoding: string;
            /** Error Code */
            error_code: string | null;
            /** Id */
            id: string;
            /** Idempotency Key */
            idempotency_key: string;
            /** Patient Id */
            patient_id: string | null;
            /** Provider */
            provider: string | null;
            /** Provider Id */
            provider_id: string | null;
            /** Recipient Tz */
            recipient_tz: string | null;
            /** Segments */
            segments: number;
            /** Sender */
            sender: string;
            /** Sent At */
            sent_at: string | null;
            status: components["schemas"]["MessageStatus"];
            /** To */
            to: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** OutboxItem */
        OutboxItem: {
            /** Body */
            body: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** From */
            from_: string;
            /** Id */
            id: string;
            /** Kind */
            kind: string;
            /** Patient Id */
            patient_id: string | null;
            /** Status */
            status: string;
            /** To */
            to: string;
        };
        /** Page[AppointmentView] */
        Page_AppointmentView_: {
            /** Items */
            items: components["schemas"]["AppointmentView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[AuditEntryView] */
        Page_AuditEntryView_: {
            /** Items */
            items: components["schemas"]["AuditEntryView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[BindingView] */
        Page_BindingView_: {
            /** Items */
            items: components["schemas"]["BindingView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[ConversationView] */
        Page_ConversationView_: {
            /** Items */
            items: components["schemas"]["ConversationView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[DepartmentView] */
        Page_DepartmentView_: {
            /** Items */
            items: components["schemas"]["DepartmentView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[EntryView] */
        Page_EntryView_: {
            /** Items */
            items: components["schemas"]["EntryView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[FlowSummary] */
        Page_FlowSummary_: {
            /** Items */
            items: components["schemas"]["FlowSummary"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[FlowVersionSummary] */
        Page_FlowVersionSummary_: {
            /** Items */
            items: components["schemas"]["FlowVersionSummary"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[InteractionView] */
        Page_InteractionView_: {
            /** Items */
            items: components["schemas"]["InteractionView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[LocationView] */
        Page_LocationView_: {
            /** Items */
            items: components["schemas"]["LocationView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[OutboxItem] */
        Page_OutboxItem_: {
            /** Items */
            items: components["schemas"]["OutboxItem"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[PatientSummary] */
        Page_PatientSummary_: {
            /** Items */
            items: components["schemas"]["PatientSummary"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[ReminderPlanView] */
        Page_ReminderPlanView_: {
            /** Items */
            items: components["schemas"]["ReminderPlanView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[SlotView] */
        Page_SlotView_: {
            /** Items */
            items: components["schemas"]["SlotView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[StaffView] */
        Page_StaffView_: {
            /** Items */
            items: components["schemas"]["StaffView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[TaskView] */
        Page_TaskView_: {
            /** Items */
            items: components["schemas"]["TaskView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[UserView] */
        Page_UserView_: {
            /** Items */
            items: components["schemas"]["UserView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** Page[WaitingCallView] */
        Page_WaitingCallView_: {
            /** Items */
            items: components["schemas"]["WaitingCallView"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** PatientCreate */
        PatientCreate: {
            /** Caregivers */
            caregivers?: components["schemas"]["CaregiverIn"][];
            /**
             * Date Of Birth
             * Format: date
             */
            date_of_birth: string;
            /** Family Name */
            family_name: string;
            /** Given Name */
            given_name: string;
            /** Home Location Id */
            home_location_id?: string | null;
            /** Mrn */
            mrn?: string | null;
            /** Phones */
            phones?: components["schemas"]["PhoneIn"][];
            /** @default voice */
            preferred_channel: components["schemas"]["PreferredChannel"];
            /**
             * Preferred Language
             * @default en
             */
            preferred_language: string;
            /** @default unknown */
            sms_consent: components["schemas"]["SmsConsent"];
        };
        /**
         * PatientLink
         * @description Whose an unknown caller's interaction was (audited when attached).
         */
        PatientLink: {
            /** Patient Id */
            patient_id: string;
        };
        /**
         * PatientMatch
         * @description A search hit and why it matched (a caregiver's number is not the patient's).
         */
        PatientMatch: {
            /** Caregiver Id */
            caregiver_id?: string | null;
            caregiver_relationship?: components["schemas"]["Relationship"] | null;
            /**
             * Matched Via
             * @enum {string}
             */
            matched_via: "patient_phone" | "caregiver_phone" | "mrn" | "name_and_birth_date";
            patient: components["schemas"]["PatientSummary"];
        };
        /**
         * PatientSearch
         * @description Exactly one criterion: a phone number, an MRN, or family name + date of birth.
         */
        PatientSearch: {
            /** Date Of Birth */
            date_of_birth?: string | null;
            /** Family Name */
            family_name?: string | null;
            /** Mrn */
            mrn?: string | null;
            /** Phone */
            phone?: string | null;
        };
        /** PatientSummary */
        PatientSummary: {
            /**
             * Date Of Birth
             * Format: date
             */
            date_of_birth: string;
            /** Family Name */
            family_name: string;
            /** Given Name */
            given_name: string;
            /** Home Location Id */
            home_location_id: string | null;
            /** Id */
            id: string;
        };
        /**
         * PatientUpdate
         * @description PATCH: only the fields present change; lists given replace the whole list.
         *
         *     SMS consent is not here: it changes through `set_sms_consent`, which stamps
         *     when and how it was given or withdrawn.
         */
        PatientUpdate: {
            /** Caregivers */
            caregivers?: components["schemas"]["CaregiverIn"][] | null;
            /** Date Of Birth */
            date_of_birth?: string | null;
            /** Family Name */
            family_name?: string | null;
            /** Given Name */
            given_name?: string | null;
            /** Home Location Id */
            home_location_id?: string | null;
            /** Mrn */
            mrn?: string | null;
            /** Phones */
            phones?: components["schemas"]["PhoneIn"][] | null;
            preferred_channel?: components["schemas"]["PreferredChannel"] | null;
            /** Preferred Language */
            preferred_language?: string | null;
        };
        /** PatientView */
        PatientView: {
            /** Caregivers */
            caregivers: components["schemas"]["CaregiverView"][];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Date Of Birth
             * Format: date
             */
            date_of_birth: string;
            /** Family Name */
            family_name: string;
            /** Given Name */
            given_name: string;
            /** Home Location Id */
            home_location_id: string | null;
            /** Id */
            id: string;
            /** Mrn */
            mrn: string | null;
            /** Phones */
            phones: components["schemas"]["PhoneView"][];
            preferred_channel: components["schemas"]["PreferredChannel"];
            /** Preferred Language */
            preferred_language: string;
            sms_consent: components["schemas"]["SmsConsent"];
            /** Sms Consent At */
            sms_consent_at: string | null;
            /** Sms Consent Source */
            sms_consent_source: string | null;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * Permission
         * @enum {string}
         */
        Permission: "directory:read" | "directory:write" | "patients:read" | "patients:write" | "timeline:read" | "timeline:write" | "patients:break-glass" | "presence:write" | "users:read" | "users:manage" | "audit:read" | "outbox:read" | "tokens:manage" | "flows:read" | "flows:write";
        /** PhiChannelReport */
        PhiChannelReport: {
            /** Lines */
            lines: components["schemas"]["ChannelLine"][];
            /**
             * Since
             * Format: date-time
             */
            since: string;
            /**
             * Until
             * Format: date-time
             */
            until: string;
        };
        /** PhoneIn */
        PhoneIn: {
            /** @default mobile */
            kind: components["schemas"]["PhoneKind"];
            /**
             * Number
             * @description As typed; stored in E.164
             */
            number: string;
            /**
             * Primary
             * @default false
             */
            primary: boolean;
            /**
             * Sms Capable
             * @default true
             */
            sms_capable: boolean;
        };
        /**
         * PhoneKind
         * @enum {string}
         */
        PhoneKind: "mobile" | "home" | "work";
        /** PhoneView */
        PhoneView: {
            kind: components["schemas"]["PhoneKind"];
            /** Number */
            number: string;
            /** Primary */
            primary: boolean;
            /** Sms Capable */
            sms_capable: boolean;
        };
        /**
         * Position
         * @description Where the visual designer draws the node (ignored by the engine).
         */
        Position: {
            /** X */
            x: number;
            /** Y */
            y: number;
        };
        /**
         * PreferredChannel
         * @enum {string}
         */
        PreferredChannel: "sms" | "voice" | "none";
        /**
         * PresenceState
         * @enum {string}
         */
        PresenceState: "available" | "busy" | "wrap_up" | "away" | "offline";
        /** PresenceUpdate */
        PresenceUpdate: {
            state: components["schemas"]["PresenceState"];
        };
        /**
         * ProblemModel
         * @description An RFC 9457 problem document.
         */
        ProblemModel: {
            /** Detail */
            detail: string;
            /**
             * Error Id
             * @description Stable machine-readable id, e.g. no-such-patient
             */
            error_id: string;
            /** Errors */
            errors?: components["schemas"]["FieldError"][] | null;
            /** Status */
            status: number;
            /** Title */
            title: string;
            /** Type */
            type: string;
        };
        /** ProblemView */
        ProblemView: {
            /**
             * Code
             * @example unreachable-node
             */
            code: string;
            /** Message */
            message: string;
            /**
             * Node Id
             * @description null: a problem of the flow as a whole
             */
            node_id: string | null;
        };
        /**
         * Prompt
         * @description What the caller hears, per language: recorded audio (`play`) wins over
         *     text-to-speech (`text`) for a language that has both.
         */
        Prompt: {
            /** Play */
            play?: {
                [key: string]: string;
            };
            /**
             * Text
             * @example {
             *       "en": "Welcome."
             *     }
             */
            text?: {
                [key: string]: string;
            };
        };
        /** PublishRequest */
        PublishRequest: {
            /**
             * Draft Revision
             * @description Publish only if the draft is still this
             */
            draft_revision?: number | null;
            /**
             * Reason
             * @description Why: kept with the version (encrypted) and shown in its history
             */
            reason: string;
        };
        /**
         * QueueNode
         * @description Put the caller in line for a department; the routing core finds the agent.
         */
        QueueNode: {
            /**
             * Callback
             * @description null: a callback chosen in line ends here
             */
            callback?: string | null;
            department: components["schemas"]["DepartmentKind"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "queue";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /**
             * Language
             * @default from_call
             */
            language: "from_call" | string;
            /**
             * Location Id
             * @description null: the location of the call
             */
            location_id?: string | null;
            /** Overflow */
            overflow?: string | null;
            position?: components["schemas"]["Position"] | null;
            /**
             * Priority
             * @description A fixed priority, or the call's own (raised by triage or emergency nodes)
             * @default from_triage
             */
            priority: components["schemas"]["Urgency"] | "from_triage";
            /**
             * Timeout
             * @description null: timeouts take `overflow`
             */
            timeout?: string | null;
        };
        /**
         * RecentInteraction
         * @description One earlier contact with the patient, without anything said or written in it.
         */
        RecentInteraction: {
            /** Channel */
            channel: string;
            /** Direction */
            direction: string;
            /** Disposition */
            disposition: string | null;
            /** Id */
            id: string;
            /** Kinds */
            kinds: string[];
            /**
             * Started At
             * Format: date-time
             */
            started_at: string;
            /** Status */
            status: string;
            /** Urgency */
            urgency: string | null;
        };
        /**
         * Relationship
         * @description A closed list on purpose: a free-text field here would collect PHI in the clear.
         * @enum {string}
         */
        Relationship: "parent" | "guardian" | "spouse" | "partner" | "child" | "sibling" | "caregiver" | "friend" | "other";
        /**
         * ReminderPlanIn
         * @description A reminder plan for a location and/or appointment type (None: any).
         */
        ReminderPlanIn: {
            /**
             * Include Prep
             * @default false
             */
            include_prep: boolean;
            /**
             * Include Type
             * @default false
             */
            include_type: boolean;
            /** Location Id */
            location_id?: string | null;
            /**
             * No Answer Hours
             * @default 24
             */
            no_answer_hours: number;
            /**
             * Notify Caregivers
             * @default true
             */
            notify_caregivers: boolean;
            /** Prep Instructions */
            prep_instructions?: string | null;
            /**
             * Prep Translations
             * @description The prep instructions in other languages, by code ('es': ...). A patient whose language has none is told, in their language, to call the clinic for them: an English sentence is never put inside a Spanish text.
             */
            prep_translations?: {
                [key: string]: string;
            };
            /** Steps */
            steps: components["schemas"]["ReminderStep"][];
            /**
             * Templates
             * @description The reminder's wording per language, replacing careline's ('en', 'es'). Placeholders: {date}, {time} and {reply} (how to confirm, cancel and STOP) are required; {clinic}, {what} and {prep} may be used; nothing else.
             */
            templates?: {
                [key: string]: string;
            };
            /** Type Code */
            type_code?: string | null;
        };
        /** ReminderPlanView */
        ReminderPlanView: {
            /** Id */
            id: string | null;
            /**
             * Include Prep
             * @default false
             */
            include_prep: boolean;
            /**
             * Include Type
             * @default false
             */
            include_type: boolean;
            /** Location Id */
            location_id?: string | null;
            /**
             * No Answer Hours
             * @default 24
             */
            no_answer_hours: number;
            /**
             * Notify Caregivers
             * @default true
             */
            notify_caregivers: boolean;
            /** Prep Instructions */
            prep_instructions?: string | null;
            /** Prep Missing Languages */
            prep_missing_languages?: string[];
            /**
             * Prep Translations
             * @description The prep instructions in other languages, by code ('es': ...). A patient whose language has none is told, in their language, to call the clinic for them: an English sentence is never put inside a Spanish text.
             */
            prep_translations?: {
                [key: string]: string;
            };
            /** Steps */
            steps: components["schemas"]["ReminderStep"][];
            /**
             * Templates
             * @description The reminder's wording per language, replacing careline's ('en', 'es'). Placeholders: {date}, {time} and {reply} (how to confirm, cancel and STOP) are required; {clinic}, {what} and {prep} may be used; nothing else.
             */
            templates?: {
                [key: string]: string;
            };
            /** Type Code */
            type_code?: string | null;
            /** Updated At */
            updated_at?: string | null;
        };
        /**
         * ReminderStatus
         * @enum {string}
         */
        ReminderStatus: "planned" | "sent" | "voice_pending" | "refused" | "void";
        /** ReminderStep */
        ReminderStep: {
            /** Hours Before */
            hours_before?: number | null;
            kind: components["schemas"]["StepKind"];
            /** Local Time */
            local_time?: string | null;
            /** Name */
            name: string;
        };
        /** ReminderView */
        ReminderView: {
            /** Appointment Id */
            appointment_id: string;
            /**
             * Appointment Start
             * Format: date-time
             */
            appointment_start: string;
            /** Channel */
            channel: string;
            /**
             * Due At
             * Format: date-time
             */
            due_at: string;
            /** Error Code */
            error_code: string | null;
            /** Id */
            id: string;
            /** Location Id */
            location_id: string;
            /** Message Id */
            message_id: string | null;
            /** Patient Id */
            patient_id: string;
            /**
             * Recipient
             * @enum {string}
             */
            recipient: "patient" | "caregiver";
            status: components["schemas"]["ReminderStatus"];
            /** Step */
            step: string;
            /** Type Code */
            type_code: string;
        };
        /** ReportRow */
        ReportRow: {
            /** Appointments */
            appointments: number;
            /** Cancelled */
            cancelled: number;
            /** Confirmed */
            confirmed: number;
            /** Location Id */
            location_id: string;
            /** Noshow */
            noshow: number;
            /** Noshow Rate */
            noshow_rate: number;
            /** Reminders Delivered */
            reminders_delivered: number;
            /** Reminders Sent */
            reminders_sent: number;
            /** Type Code */
            type_code: string;
        };
        /**
         * RescheduleRequest
         * @description Move to a free slot (`slot_id`) or to another time (`start`), optionally with
         *     another provider, location or length.
         */
        RescheduleRequest: {
            /** Duration Minutes */
            duration_minutes?: number | null;
            /** Location Id */
            location_id?: string | null;
            /** Slot Id */
            slot_id?: string | null;
            /** Staff Id */
            staff_id?: string | null;
            /** Start */
            start?: string | null;
        };
        /** ReviewView */
        ReviewView: {
            /**
             * Reviewed At
             * Format: date-time
             */
            reviewed_at: string;
            /** Reviewed By */
            reviewed_by: string;
            /** Reviewed By Name */
            reviewed_by_name: string;
            /** Seq */
            seq: number;
        };
        /**
         * Role
         * @enum {string}
         */
        Role: "admin" | "manager" | "supervisor" | "agent" | "clinician" | "auditor";
        /** RoleGrantView */
        RoleGrantView: {
            /** Location Id */
            location_id?: string | null;
            role: components["schemas"]["Role"];
        };
        /** RolesUpdate */
        RolesUpdate: {
            /** Roles */
            roles: components["schemas"]["RoleGrantView"][];
        };
        /** RollbackRequest */
        RollbackRequest: {
            /**
             * Reason
             * @description Why: kept with the version (encrypted) and shown in its history
             */
            reason: string;
            /**
             * Version
             * @description The earlier version to put back
             */
            version: number;
        };
        /**
         * RotaEntry
         * @description One on-call shift: local times of day (daily; `ends` at or before `starts` runs
         *     overnight), or two aware instants (a one-off cover).
         */
        RotaEntry: {
            /** Ends */
            ends: string;
            /** Label */
            label?: string | null;
            /** Starts */
            starts: string;
            /** Target */
            target: string;
            /**
             * Weekdays
             * @description Days (0 = Monday) a daily shift starts on; null: every day
             */
            weekdays?: number[] | null;
        };
        /**
         * SafetyNet
         * @description Where the engine sends a caller whose words, at any prompt, are an emergency
         *     or an urgent clinical problem: every speech input is triaged before a menu's
         *     options are matched, so no flow has to remember to ask. Unset, the flow's first
         *     triage node (from the entry) lends its `emergency` and `urgent` branches.
         */
        SafetyNet: {
            /**
             * Crisis
             * @description Self-harm words; null: the emergency or urgent branch
             */
            crisis?: string | null;
            /**
             * Emergency
             * @description e.g. an emergency node: 911/988 guidance, a clinician
             */
            emergency: string;
            /**
             * Urgent
             * @description e.g. the nurse queue (the call's priority is urgent)
             */
            urgent: string;
        };
        /**
         * SayNode
         * @description Say a text (or play a recording) in the caller's language, then go on.
         *
         *     The caller can speak over it (barge-in): the engine plays it inside the next
         *     prompt that listens, or, before a voicemail or goodbye, listens briefly after it,
         *     so an emergency said at the welcome is heard (see `SafetyNet`).
         */
        SayNode: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "say";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /**
             * Listen
             * @description Hear the caller over this prompt; false only for a number without speech recognition (lint refuses it otherwise: a caller's emergency would go unheard)
             * @default true
             */
            listen: boolean;
            /** Next */
            next?: string | null;
            position?: components["schemas"]["Position"] | null;
            prompt: components["schemas"]["Prompt"];
        };
        /** SessionView */
        SessionView: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Current
             * @default false
             */
            current: boolean;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /** Id */
            id: string;
            /** Ip */
            ip: string | null;
            /**
             * Last Seen At
             * Format: date-time
             */
            last_seen_at: string;
            /** User Agent */
            user_agent: string | null;
        };
        /**
         * SetNode
         * @description Set variables (and optionally the language, priority or clinic), then go on.
         */
        SetNode: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "set";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /** Language */
            language?: string | null;
            /**
             * Location Id
             * @description The clinic the call is for from here on (its hours, its queues): a network number's choose-your-clinic menu sets it
             */
            location_id?: string | null;
            /** Next */
            next?: string | null;
            position?: components["schemas"]["Position"] | null;
            priority?: components["schemas"]["Urgency"] | null;
            /** Variables */
            variables?: {
                [key: string]: boolean | number | string | null;
            };
        };
        /**
         * SlotCreate
         * @description Publish a piece of a provider's capacity; `appointment_type` null = any type.
         */
        SlotCreate: {
            appointment_type?: components["schemas"]["AppointmentType"] | null;
            /** Department Id */
            department_id?: string | null;
            /** Duration Minutes */
            duration_minutes: number;
            /** Location Id */
            location_id: string;
            /** Staff Id */
            staff_id: string;
            /**
             * Start
             * Format: date-time
             */
            start: string;
        };
        /**
         * SlotStatus
         * @enum {string}
         */
        SlotStatus: "free" | "busy" | "blocked";
        /** SlotView */
        SlotView: {
            appointment_type: components["schemas"]["AppointmentType"] | null;
            /** Department Id */
            department_id: string | null;
            /** Duration Minutes */
            duration_minutes: number;
            /**
             * End
             * Format: date-time
             */
            end: string;
            /** External Id */
            external_id: string | null;
            /** Id */
            id: string;
            /** Location Id */
            location_id: string;
            /** Staff Id */
            staff_id: string;
            /**
             * Start
             * Format: date-time
             */
            start: string;
            status: components["schemas"]["SlotStatus"];
        };
        /**
         * SmsConsent
         * @enum {string}
         */
        SmsConsent: "unknown" | "opted_in" | "opted_out";
        /** SmsConsentUpdate */
        SmsConsentUpdate: {
            sms_consent: components["schemas"]["SmsConsent"];
        };
        /** SmsConsentView */
        SmsConsentView: {
            /** Patient Id */
            patient_id: string;
            sms_consent: components["schemas"]["SmsConsent"];
            /** Sms Consent At */
            sms_consent_at: string | null;
            /** Sms Consent Source */
            sms_consent_source: string | null;
        };
        /** StaffCreate */
        StaffCreate: {
            /** Department Ids */
            department_ids?: string[];
            /** Display Name */
            display_name: string;
            /** Endpoints */
            endpoints?: components["schemas"]["Endpoint"][];
            /**
             * Languages
             * @example [
             *       "en"
             *     ]
             */
            languages?: string[];
            /** Location Ids */
            location_ids?: string[];
            /** Skills */
            skills?: string[];
            /**
             * Title
             * @example RN
             * @example Front desk
             */
            title?: string | null;
            /** User Id */
            user_id?: string | null;
        };
        /**
         * StaffMessage
         * @description A text a member of staff writes to a patient (the inbox's reply).
         */
        StaffMessage: {
            /** Body */
            body: string;
            /**
             * Respect Quiet Hours
             * @description Hold the text until 08:00 at the patient's clinic when it is 21:00-08:00 there (the answer's due_at says when it goes).
             * @default true
             */
            respect_quiet_hours: boolean;
            /**
             * To
             * @description Default: the patient's primary mobile
             */
            to?: string | null;
        };
        /**
         * StaffUpdate
         * @description Fields to change; absent fields stay. Lists replace the whole list.
         */
        StaffUpdate: {
            /** Department Ids */
            department_ids?: string[] | null;
            /** Display Name */
            display_name?: string | null;
            /** Endpoints */
            endpoints?: components["schemas"]["Endpoint"][] | null;
            /** Languages */
            languages?: string[] | null;
            /** Location Ids */
            location_ids?: string[] | null;
            /** Skills */
            skills?: string[] | null;
            /** Title */
            title?: string | null;
            /** User Id */
            user_id?: string | null;
        };
        /** StaffView */
        StaffView: {
            /** Department Ids */
            department_ids: string[];
            /** Display Name */
            display_name: string;
            /** Endpoints */
            endpoints: components["schemas"]["Endpoint"][];
            /** Id */
            id: string;
            /** Languages */
            languages: string[];
            /** Location Ids */
            location_ids: string[];
            presence: components["schemas"]["PresenceState"];
            /**
             * Presence Since
             * Format: date-time
             */
            presence_since: string;
            /** Skills */
            skills: string[];
            /** Title */
            title: string | null;
            /** User Id */
            user_id: string | null;
        };
        /**
         * StepKind
         * @enum {string}
         */
        StepKind: "before" | "day_of";
        /**
         * SummaryRequest
         * @description Names for a list a screen shows (the day's appointments, the tasks).
         */
        SummaryRequest: {
            /** Ids */
            ids: string[];
        };
        /** TaskAppointment */
        TaskAppointment: {
            /**
             * End
             * Format: date-time
             */
            end: string;
            /** Id */
            id: string;
            /** Provider Id */
            provider_id: string;
            /** Provider Name */
            provider_name: string | null;
            /**
             * Start
             * Format: date-time
             */
            start: string;
            /** Status */
            status: string;
            /** Type Display */
            type_display: string;
        };
        /**
         * TaskClaim
         * @description Claiming a task; `take_over` takes a colleague's claim (clinic managers only).
         */
        TaskClaim: {
            /**
             * Take Over
             * @default false
             */
            take_over: boolean;
        };
        /**
         * TaskDetail
         * @description What a receptionist needs to act on a task (PHI: reading it is audited).
         */
        TaskDetail: {
            appointment?: components["schemas"]["TaskAppointment"] | null;
            /** Appointment Id */
            appointment_id: string | null;
            /**
             * Caller Number
             * @description The number to call back: the caller's, else the patient's
             */
            caller_number?: string | null;
            /**
             * Candidates
             * @default []
             */
            candidates: string[];
            /** Claimed At */
            claimed_at?: string | null;
            /**
             * Claimed By Name
             * @description The holder's display name
             */
            claimed_by_name?: string | null;
            /** Claimed By User Id */
            claimed_by_user_id?: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Done At */
            done_at: string | null;
            /** Done By Name */
            done_by_name?: string | null;
            /**
             * Due At
             * @description When it is due: emergency at once, urgent within 15 min, routine by the end of the clinic's business day
             */
            due_at?: string | null;
            /**
             * Has Recording
             * @default false
             */
            has_recording: boolean;
            /** Id */
            id: string;
            /** Interaction Id */
            interaction_id: string | null;
            kind: components["schemas"]["TaskKind"];
            /** Location Id */
            location_id: string | null;
            /** Message */
            message?: string | null;
            /** Number Source */
            number_source?: ("interaction" | "patient") | null;
            /** Patient Id */
            patient_id: string | null;
            /**
             * Status
             * @enum {string}
             */
            status: "open" | "done";
            /** Transcript */
            transcript?: string | null;
            urgency: components["schemas"]["TaskUrgency"];
        };
        /**
         * TaskDone
         * @description Resolving a task; a note lands on the patient's timeline.
         */
        TaskDone: {
            /** Note */
            note?: string | null;
        };
        /**
         * TaskKind
         * @enum {string}
         */
        TaskKind: "reschedule_request" | "no_answer" | "reply_needs_staff" | "callback_request" | "voicemail" | "urgent_voicemail" | "clinical_emergency" | "urgent_clinical_review" | "clinical_review" | "number_unreachable" | "which_patient";
        /**
         * TaskUrgency
         * @description How soon a task needs someone: worklists show emergency, then urgent, then routine.
         *     The same words as triage's urgency, kept here so tasks do not depend on triage.
         * @enum {string}
         */
        TaskUrgency: "emergency" | "urgent" | "routine";
        /** TaskView */
        TaskView: {
            /** Appointment Id */
            appointment_id: string | null;
            /**
             * Candidates
             * @default []
             */
            candidates: string[];
            /** Claimed At */
            claimed_at?: string | null;
            /**
             * Claimed By Name
             * @description The holder's display name
             */
            claimed_by_name?: string | null;
            /** Claimed By User Id */
            claimed_by_user_id?: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Done At */
            done_at: string | null;
            /** Done By Name */
            done_by_name?: string | null;
            /**
             * Due At
             * @description When it is due: emergency at once, urgent within 15 min, routine by the end of the clinic's business day
             */
            due_at?: string | null;
            /** Id */
            id: string;
            /** Interaction Id */
            interaction_id: string | null;
            kind: components["schemas"]["TaskKind"];
            /** Location Id */
            location_id: string | null;
            /** Patient Id */
            patient_id: string | null;
            /**
             * Status
             * @enum {string}
             */
            status: "open" | "done";
            urgency: components["schemas"]["TaskUrgency"];
        };
        /**
         * TimeRange
         * @description Weekdays (0 = Monday) and a wall-clock range [start, end) in the location's time zone.
         */
        TimeRange: {
            /**
             * End
             * Format: time
             * @default 23:59:59
             */
            end: string;
            /**
             * Start
             * Format: time
             * @default 00:00:00
             */
            start: string;
            /** Weekdays */
            weekdays?: number[];
        };
        /** TokenCreate */
        TokenCreate: {
            /**
             * Expires In Days
             * @description Every token expires (at most token_max_days)
             * @default 90
             */
            expires_in_days: number;
            /** Name */
            name: string;
            /** Scopes */
            scopes: components["schemas"]["Permission"][];
        };
        /** TokenView */
        TokenView: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Expires At */
            expires_at: string | null;
            /** Id */
            id: string;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /** Revoked At */
            revoked_at: string | null;
            /** Scopes */
            scopes: string[];
        };
        /**
         * TransferNode
         * @description Dial a number or SIP URI; `no_answer` covers no answer, busy and failure.
         */
        TransferNode: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "transfer";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /** @default cold */
            mode: components["schemas"]["DialMode"];
            /** No Answer */
            no_answer?: string | null;
            position?: components["schemas"]["Position"] | null;
            /** Target */
            target: string;
            /**
             * Timeout Seconds
             * @default 25
             */
            timeout_seconds: number;
        };
        /**
         * TriageHealth
         * @description Whether triage runs with its statistical layer or on its rules alone.
         */
        TriageHealth: {
            /** Exemplars */
            exemplars: number;
            /** Mode */
            mode: string;
            /** Model */
            model: string | null;
            /** Reason */
            reason: string | null;
        };
        /**
         * TriageNode
         * @description Ask what the call is about, classify the answer, branch by urgency (then intent).
         *
         *     Urgency always outranks intent: an emergency never takes an intent branch. A
         *     caller who says nothing, or whose words cannot be classified, is treated as
         *     urgent unless `no_input` says otherwise: silence is never taken as routine.
         */
        TriageNode: {
            /** Emergency */
            emergency?: string | null;
            /**
             * Intents
             * @description For routine callers: intent -> node
             */
            intents?: {
                [key: string]: string;
            };
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "triage";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /**
             * Min Confidence
             * @default 0.3
             */
            min_confidence: number;
            /**
             * No Input
             * @description null: silence takes `urgent`
             */
            no_input?: string | null;
            position?: components["schemas"]["Position"] | null;
            prompt: components["schemas"]["Prompt"];
            /**
             * Retries
             * @default 1
             */
            retries: number;
            retry_prompt?: components["schemas"]["Prompt"] | null;
            /** Routine */
            routine?: string | null;
            /**
             * Timeout Seconds
             * @default 8
             */
            timeout_seconds: number;
            /** Urgent */
            urgent?: string | null;
        };
        /**
         * TriageWord
         * @description One phrase of the caller's words that triage matched: character offsets into
         *     `CallTriage.words`. `discounted`: negated or about the past, shown but not driving.
         */
        TriageWord: {
            /** Discounted */
            discounted: boolean;
            /** End */
            end: number;
            /** Phrase */
            phrase: string;
            /** Start */
            start: number;
            /** Urgency */
            urgency: string;
        };
        /**
         * Urgency
         * @description How soon a caller needs a clinician: triage's urgency, and a call's priority in
         *     line (the same three levels the routing core serves, emergency first).
         * @enum {string}
         */
        Urgency: "emergency" | "urgent" | "routine";
        /** UserCreate */
        UserCreate: {
            /** Display Name */
            display_name: string;
            /** Password */
            password: string;
            /** Roles */
            roles: components["schemas"]["RoleGrantView"][];
            /** Staff Id */
            staff_id?: string | null;
            /** Username */
            username: string;
        };
        /** UserView */
        UserView: {
            /** Active */
            active: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Display Name */
            display_name: string;
            /** Id */
            id: string;
            /** Locked Until */
            locked_until: string | null;
            /** Mfa Enrolled */
            mfa_enrolled: boolean;
            /** Mfa Required */
            mfa_required: boolean;
            /** Roles */
            roles: components["schemas"]["RoleGrantView"][];
            /** Staff Id */
            staff_id: string | null;
            /** Username */
            username: string;
        };
        /** ValidationError */
        ValidationError: {
            /** Context */
            ctx?: Record<string, never>;
            /** Input */
            input?: unknown;
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
        };
        /** ValidationReport */
        ValidationReport: {
            /** Problems */
            problems: components["schemas"]["ProblemView"][];
            /** Valid */
            valid: boolean;
        };
        /**
         * VoicemailNode
         * @description Record a message for a department; the call ends after it unless `next` is set.
         */
        VoicemailNode: {
            /** @default general */
            department: components["schemas"]["DepartmentKind"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "voicemail";
            /**
             * Label
             * @description A name for people, e.g. 'Main menu'
             */
            label?: string | null;
            /**
             * Max Seconds
             * @default 120
             */
            max_seconds: number;
            /** Next */
            next?: string | null;
            position?: components["schemas"]["Position"] | null;
            prompt: components["schemas"]["Prompt"];
            /**
             * Transcribe
             * @default true
             */
            transcribe: boolean;
        };
        /**
         * WaitChannel
         * @enum {string}
         */
        WaitChannel: "sms" | "voice";
        /** WaitingCallView */
        WaitingCallView: {
            /** Department */
            department: string;
            /**
             * Entered At
             * Format: date-time
             */
            entered_at: string;
            /** Entry Id */
            entry_id: string;
            /** Language */
            language: string | null;
            /** Location Id */
            location_id: string | null;
            /** Priority */
            priority: string;
            /** Staff Id */
            staff_id: string | null;
            status: components["schemas"]["careline__desk__model__EntryStatus"];
            /** Waited Seconds */
            waited_seconds: number;
        };
        /** WallAgent */
        WallAgent: {
            current_call: components["schemas"]["WallCall"] | null;
            /** Display Name */
            display_name: string;
            /** Location Ids */
            location_ids: string[];
            presence: components["schemas"]["PresenceState"];
            /**
             * Presence Since
             * Format: date-time
             */
            presence_since: string;
            /** Seconds In State */
            seconds_in_state: number;
            /** Staff Id */
            staff_id: string;
            /** Title */
            title: string | null;
        };
        /**
         * WallAlert
         * @description A caller in line past their priority's limit.
         */
        WallAlert: {
            /** Department */
            department: string;
            /**
             * Entered At
             * Format: date-time
             */
            entered_at: string;
            /** Entry Id */
            entry_id: string;
            /** Limit Seconds */
            limit_seconds: number;
            /** Location Id */
            location_id: string;
            /** Priority */
            priority: string;
            status: components["schemas"]["careline__desk__model__EntryStatus"];
            /** Waited Seconds */
            waited_seconds: number;
        };
        /**
         * WallCall
         * @description The call an agent is being rung for, or is on.
         */
        WallCall: {
            /** Department */
            department: string;
            /** Location Id */
            location_id: string | null;
            /** Priority */
            priority: string;
            /**
             * Since
             * Format: date-time
             * @description When it started ringing, or was answered
             */
            since: string;
            status: components["schemas"]["careline__desk__model__EntryStatus"];
        };
        /** WallClinic */
        WallClinic: {
            figures: components["schemas"]["WallFigures"];
            /** Location Id */
            location_id: string;
            /** Name */
            name: string;
            /** Queues */
            queues: components["schemas"]["WallQueue"][];
            /** Timezone */
            timezone: string;
        };
        /** WallFigures */
        WallFigures: {
            /** Abandoned */
            abandoned: number;
            /** Answered */
            answered: number;
            /** Answered Within Target */
            answered_within_target: number;
            /** Callbacks */
            callbacks: number;
            /**
             * Day
             * Format: date
             * @description Today in the clinic's time zone
             */
            day: string;
            /**
             * Hours
             * @description Midnight up to this hour, clinic time
             */
            hours: components["schemas"]["WallHour"][];
            /** Offered */
            offered: number;
            /**
             * Service Level
             * @description 0..1; None: no call finished waiting
             */
            service_level: number | null;
            /** Voicemails */
            voicemails: number;
        };
        /**
         * WallHour
         * @description One hour of today (clinic time): the calls that entered a queue in it.
         */
        WallHour: {
            /** Abandoned */
            abandoned: number;
            /** Answered */
            answered: number;
            /** Hour */
            hour: number;
            /** Offered */
            offered: number;
        };
        /**
         * WallQueue
         * @description One live queue: a clinic's department at one priority.
         */
        WallQueue: {
            /** Abandoned Today */
            abandoned_today: number;
            /** Answered Today */
            answered_today: number;
            /**
             * Connected
             * @description Talking to an agent now
             */
            connected: number;
            /** Department */
            department: string;
            /** Location Id */
            location_id: string;
            /**
             * Longest Wait Seconds
             * @description Of the callers in line now (0: none)
             */
            longest_wait_seconds: number;
            /** Offered Today */
            offered_today: number;
            /**
             * Oldest Entered At
             * @description When the longest-waiting caller in line entered (to tick on screen)
             */
            oldest_entered_at: string | null;
            /** Priority */
            priority: string;
            /**
             * Ringing
             * @description Offered to an agent whose phone rings
             */
            ringing: number;
            /**
             * Service Level Today
             * @description 0..1; None: no call finished waiting
             */
            service_level_today: number | null;
            /**
             * Waiting
             * @description In line, no agent ringing
             */
            waiting: number;
        };
        /** WallView */
        WallView: {
            /** Agents */
            agents: components["schemas"]["WallAgent"][];
            /** Alerts */
            alerts: components["schemas"]["WallAlert"][];
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Clinics */
            clinics: components["schemas"]["WallClinic"][];
            /** Service Level Seconds */
            service_level_seconds: number;
            /**
             * Wait Limits
             * @description Seconds per priority; None: never
             */
            wait_limits: {
                [key: string]: number | null;
            };
        };
        /**
         * WaveSettings
         * @description How offers for one department (or everywhere, `department_id` null) go out.
         */
        WaveSettings: {
            /**
             * Offer Minutes
             * @default 30
             */
            offer_minutes: number;
            /**
             * Spacing Minutes
             * @default 10
             */
            spacing_minutes: number;
            /**
             * Wave Size
             * @default 3
             */
            wave_size: number;
        };
        /**
         * WrapUpIn
         * @description The agent's wrap-up: a disposition, and optionally a note for the timeline.
         */
        WrapUpIn: {
            disposition: components["schemas"]["Disposition"];
            /**
             * Note
             * @description Free text for the call's timeline (encrypted there); blank means none
             */
            note?: string | null;
        };
        /**
         * EntryStatus
         * @enum {string}
         */
        careline__desk__model__EntryStatus: "waiting" | "offered" | "connected" | "done" | "left";
        /**
         * EntryStatus
         * @enum {string}
         */
        careline__waitlist__model__EntryStatus: "waiting" | "offered" | "booked" | "withdrawn";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_appointments_api_v1_appointments_get: {
        parameters: {
            query?: {
                patient_id?: string | null;
                location_id?: string | null;
                /** @description Local calendar day of the location */
                day?: string | null;
                /** @description With patient_id: from here */
                since?: string | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_AppointmentView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_appointment_api_v1_appointments_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppointmentCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_appointment_api_v1_appointments__appointment_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    mark_arrived_api_v1_appointments__appointment_id__arrived_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    cancel_api_v1_appointments__appointment_id__cancel_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancelRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    confirm_api_v1_appointments__appointment_id__confirm_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    mark_fulfilled_api_v1_appointments__appointment_id__fulfilled_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    mark_noshow_api_v1_appointments__appointment_id__noshow_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_reminders_api_v1_appointments__appointment_id__reminders_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReminderView"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    plan_reminders_api_v1_appointments__appointment_id__reminders_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReminderView"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    reschedule_api_v1_appointments__appointment_id__reschedule_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                appointment_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RescheduleRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    search_audit_api_v1_audit_get: {
        parameters: {
            query?: {
                patient_id?: string | null;
                user_id?: string | null;
                action?: string | null;
                since?: string | null;
                until?: string | null;
                flagged?: boolean | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_AuditEntryView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    search_audit_console_api_v1_audit_search_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuditSearchRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleResult"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    export_audit_csv_api_v1_audit_search_csv_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuditSearchRequest"];
            };
        };
        responses: {
            /** @description The matching entries as CSV */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": unknown;
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    verify_audit_api_v1_audit_verify_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainStatus"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    review_audit_entry_api_v1_audit__seq__review_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The entry's sequence number */
                seq: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReviewView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    start_enrolment_api_v1_auth_enrolment_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnrolmentRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrolmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Account locked */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Too many attempts; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    login_api_v1_auth_login_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Account locked */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Too many attempts; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    logout_api_v1_auth_logout_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    me_api_v1_auth_me_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    my_sessions_api_v1_auth_sessions_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    end_my_session_api_v1_auth_sessions__session_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_conversations_api_v1_conversations_get: {
        parameters: {
            query?: {
                /** @description needs_reply: the last text is theirs; unread: a text came in since you last opened it; mine: you are answering it; unassigned: nobody is */
                view?: "needs_reply" | "unread" | "mine" | "unassigned" | "all";
                /** @description Only this clinic's */
                location_id?: string | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_ConversationView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    assign_conversation_api_v1_conversations__key__assignee_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description As the inbox lists it: patient:<id> or text:<interaction id> */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConversationAssign"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConversationAssignee"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    read_conversation_api_v1_conversations__key__read_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description As the inbox lists it: patient:<id> or text:<interaction id> */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_departments_api_v1_departments_get: {
        parameters: {
            query?: {
                location_id?: string | null;
                kind?: components["schemas"]["DepartmentKind"] | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_DepartmentView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_department_api_v1_departments_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DepartmentCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepartmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_department_api_v1_departments__department_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                department_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepartmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    delete_department_api_v1_departments__department_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                department_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    update_department_api_v1_departments__department_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                department_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DepartmentUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepartmentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    my_desk_api_v1_desk_me_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeskView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    my_call_card_api_v1_desk_me_call_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallCardView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    set_my_presence_api_v1_desk_me_presence_put: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeskPresence"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeskView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    record_wrap_up_api_v1_desk_me_wrap_up_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WrapUpIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeskView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    finish_wrap_up_api_v1_desk_me_wrap_up_finish_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeskView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    live_queue_api_v1_desk_queue_get: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_WaitingCallView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    supervisor_wall_api_v1_desk_wall_get: {
        parameters: {
            query?: {
                /** @description Only this clinic */
                location_id?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WallView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    live_events_api_v1_events_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_flows_api_v1_flows_get: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_FlowSummary_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_flow_api_v1_flows_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FlowCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    lint_flow_api_v1_flows_lint_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FlowDocument"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationReport"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_flow_api_v1_flows__flow_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_bindings_api_v1_flows__flow_id__bindings_get: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_BindingView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    bind_number_api_v1_flows__flow_id__bindings_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BindingCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BindingView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    unbind_number_api_v1_flows__flow_id__bindings__binding_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
                binding_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    save_draft_api_v1_flows__flow_id__draft_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DraftUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    draft_problems_api_v1_flows__flow_id__draft_problems_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationReport"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    publish_flow_api_v1_flows__flow_id__publish_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PublishRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowVersionView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    rollback_flow_api_v1_flows__flow_id__rollback_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RollbackRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowVersionView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_versions_api_v1_flows__flow_id__versions_get: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_FlowVersionSummary_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_version_api_v1_flows__flow_id__versions__number__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowVersionView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    diff_version_api_v1_flows__flow_id__versions__number__diff_get: {
        parameters: {
            query?: {
                against?: number | null;
            };
            header?: never;
            path: {
                flow_id: string;
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowDiff"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_unattached_api_v1_interactions_get: {
        parameters: {
            query?: {
                /** @description Only this clinic's */
                location_id?: string | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_InteractionView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_interaction_api_v1_interactions__interaction_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                interaction_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InteractionView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    communication_api_v1_interactions__interaction_id__fhir_get: {
        parameters: {
            query?: {
                /** @description Include what was said or written (payload); off by default */
                include_text?: boolean;
            };
            header?: never;
            path: {
                interaction_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A FHIR R4 Communication resource */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/fhir+json": Record<string, never>;
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    attach_patient_api_v1_interactions__interaction_id__patient_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                interaction_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatientLink"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InteractionView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_locations_api_v1_locations_get: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_LocationView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_location_api_v1_locations_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LocationCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_location_api_v1_locations__location_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                location_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    delete_location_api_v1_locations__location_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                location_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    update_location_api_v1_locations__location_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                location_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LocationUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    add_closure_api_v1_locations__location_id__closures_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                location_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Closure"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClosureView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    remove_closure_api_v1_locations__location_id__closures__closure_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                location_id: string;
                closure_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    location_days_api_v1_locations__location_id__days_get: {
        parameters: {
            query?: {
                /** @description First local date (default: today at the location) */
                from?: string | null;
                days?: number;
            };
            header?: never;
            path: {
                location_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LocationDays"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    open_status_api_v1_locations__location_id__open_status_get: {
        parameters: {
            query?: {
                /** @description ISO 8601 instant with offset, e.g. 2026-03-09T12:30Z */
                at?: string | null;
            };
            header?: never;
            path: {
                location_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenStatus"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    send_now_api_v1_messages__message_id__send_now_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                message_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboundMessageView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_organisation_api_v1_organisation_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganisationView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    set_organisation_api_v1_organisation_put: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganisationUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganisationView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_outbox_api_v1_outbox_get: {
        parameters: {
            query?: {
                patient_id?: string | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_OutboxItem_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_patients_api_v1_patients_get: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_PatientSummary_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_patient_api_v1_patients_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatientCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PatientView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    search_patients_api_v1_patients_search_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatientSearch"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PatientMatch"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    patient_summaries_api_v1_patients_summaries_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SummaryRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PatientSummary"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_patient_api_v1_patients__patient_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                patient_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PatientView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    update_patient_api_v1_patients__patient_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                patient_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatientUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PatientView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    break_glass_api_v1_patients__patient_id__break_glass_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                patient_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BreakGlassRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BreakGlassView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    send_message_api_v1_patients__patient_id__messages_post: {
        parameters: {
            query?: never;
            header: {
                "Idempotency-Key": string;
            };
            path: {
                patient_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StaffMessage"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboundMessageView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    add_note_api_v1_patients__patient_id__notes_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                patient_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InteractionView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    set_sms_consent_api_v1_patients__patient_id__sms_consent_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                patient_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SmsConsentUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SmsConsentView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_timeline_api_v1_patients__patient_id__timeline_get: {
        parameters: {
            query?: {
                /** @description Only this channel */
                channel?: components["schemas"]["Channel"] | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path: {
                patient_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_InteractionView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_plans_api_v1_reminder_plans_get: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_ReminderPlanView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    set_plan_api_v1_reminder_plans_put: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReminderPlanIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReminderPlanView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    effective_plan_api_v1_reminder_plans_effective_get: {
        parameters: {
            query: {
                location_id: string;
                type_code: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReminderPlanView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    phi_channels_api_v1_reports_phi_channels_get: {
        parameters: {
            query?: {
                since?: string | null;
                until?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhiChannelReport"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    reminder_report_api_v1_reports_reminders_get: {
        parameters: {
            query: {
                from: string;
                to: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportRow"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    waitlist_report_api_v1_reports_waitlist_get: {
        parameters: {
            query: {
                from: string;
                to: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_free_slots_api_v1_slots_get: {
        parameters: {
            query?: {
                location_id?: string | null;
                department_id?: string | null;
                staff_id?: string | null;
                appointment_type?: string | null;
                from?: string | null;
                to?: string | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_SlotView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_slot_api_v1_slots_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SlotCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SlotView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_slot_api_v1_slots__slot_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SlotView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    block_slot_api_v1_slots__slot_id__block_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SlotView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    unblock_slot_api_v1_slots__slot_id__unblock_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SlotView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_staff_api_v1_staff_get: {
        parameters: {
            query?: {
                location_id?: string | null;
                department_id?: string | null;
                presence?: components["schemas"]["PresenceState"] | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_StaffView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_staff_api_v1_staff_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StaffCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    available_staff_api_v1_staff_available_get: {
        parameters: {
            query?: {
                department_kind?: components["schemas"]["DepartmentKind"] | null;
                language?: string | null;
                location_id?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffView"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_staff_api_v1_staff__staff_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                staff_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    delete_staff_api_v1_staff__staff_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                staff_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    update_staff_api_v1_staff__staff_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                staff_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StaffUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    set_presence_api_v1_staff__staff_id__presence_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                staff_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PresenceUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_tasks_api_v1_tasks_get: {
        parameters: {
            query?: {
                status?: ("open" | "done") | null;
                location_id?: string | null;
                /** @description mine: claimed by you; unclaimed: claimed by nobody */
                view?: "all" | "mine" | "unclaimed";
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_TaskView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_task_api_v1_tasks__task_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskDetail"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    call_back_api_v1_tasks__task_id__call_back_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallbackRinging"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    claim_task_api_v1_tasks__task_id__claim_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TaskClaim"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    complete_task_api_v1_tasks__task_id__done_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TaskDone"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    release_task_api_v1_tasks__task_id__release_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_tokens_api_v1_tokens_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenView"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_token_api_v1_tokens_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewToken"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    revoke_token_api_v1_tokens__token_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_users_api_v1_users_get: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_UserView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_user_api_v1_users_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewUser"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_user_api_v1_users__user_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    set_active_api_v1_users__user_id__active_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ActiveUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    reset_mfa_api_v1_users__user_id__mfa_reset_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewUser"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    set_roles_api_v1_users__user_id__roles_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RolesUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    unlock_user_api_v1_users__user_id__unlock_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    list_entries_api_v1_waitlist_get: {
        parameters: {
            query?: {
                patient_id?: string | null;
                location_id?: string | null;
                status?: components["schemas"]["EntryStatus-Input"] | null;
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_EntryView_"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    create_entry_api_v1_waitlist_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EntryCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    set_wave_settings_api_v1_waitlist_settings_put: {
        parameters: {
            query?: {
                department_id?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WaveSettings"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WaveSettings"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    offer_slot_api_v1_waitlist_slots__slot_id__offer_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpeningView"] | null;
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    slot_offers_api_v1_waitlist_slots__slot_id__offers_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfferView"][];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    get_entry_api_v1_waitlist__entry_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    withdraw_entry_api_v1_waitlist__entry_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    update_entry_api_v1_waitlist__entry_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EntryUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryView"];
                };
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description No such record */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    healthz_healthz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    scrape_metrics_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
            /** @description Missing or wrong metrics token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Metrics are off: production without CARELINE_METRICS_TOKEN */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    readyz_readyz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Database unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    inbound_sms_telephony_sms_inbound_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in, session expired, or bad credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Signed in but not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
            /** @description Invalid fields (each named in `errors`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemModel"];
                    "application/problem+json": unknown;
                };
            };
        };
    };
    sms_status_telephony_sms_status_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": unknown;
                };
            };
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    agent_answer_telephony_voice_agent_answer_post: {
        parameters: {
            query: {
                entry: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    agent_status_telephony_voice_agent_status_post: {
        parameters: {
            query: {
                entry: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    call_back_telephony_voice_call_back_post: {
        parameters: {
            query: {
                leg: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    call_back_status_telephony_voice_call_back_status_post: {
        parameters: {
            query: {
                leg: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    dial_status_telephony_voice_dial_status_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    fallback_plan_telephony_voice_fallback_post: {
        parameters: {
            query?: {
                step?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    gathered_telephony_voice_gather_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    identify_telephony_voice_identify_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    incoming_telephony_voice_incoming_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    no_input_telephony_voice_no_input_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    queue_leave_telephony_voice_queue_leave_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    queue_redirect_telephony_voice_queue_redirect_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    queue_status_telephony_voice_queue_status_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    queue_wait_telephony_voice_queue_wait_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    recording_telephony_voice_recording_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    reminder_call_telephony_voice_reminder_post: {
        parameters: {
            query: {
                reminder: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    reminder_input_telephony_voice_reminder_input_post: {
        parameters: {
            query: {
                reminder: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    speech_telephony_voice_speech_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    status_telephony_voice_status_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": unknown;
                };
            };
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    transcription_telephony_voice_transcription_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": unknown;
                };
            };
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    whisper_telephony_voice_whisper_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description TwiML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/xml": unknown;
                };
            };
            /** @description Missing or invalid X-Twilio-Signature */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
