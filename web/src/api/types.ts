// Short names for the API's types, all from the generated OpenAPI schema.
import type { components } from "./schema";

type S = components["schemas"];

export type Me = S["Me"];
export type UserView = S["UserView"];
export type Role = S["Role"];
export type Permission = S["Permission"];
export type SessionView = S["SessionView"];
export type LocationView = S["LocationView"];
export type StaffView = S["StaffView"];
export type AppointmentView = S["AppointmentView"];
export type AppointmentStatus = S["AppointmentStatus"];
export type SlotView = S["SlotView"];
export type OfferView = S["OfferView"];
export type ConversationAssignee = S["ConversationAssignee"];
export type ConfirmedVia = S["ConfirmedVia"];
export type TaskView = S["TaskView"];
export type TaskKind = S["TaskKind"];
export type TaskUrgency = S["TaskUrgency"];
export type PatientView = S["PatientView"];
export type PatientSummary = S["PatientSummary"];
export type PatientMatch = S["PatientMatch"];
export type PatientSearch = S["PatientSearch"];
export type InteractionView = S["InteractionView"];
export type EventView = S["EventView"];
export type Channel = S["Channel"];
export type LoginRequest = S["LoginRequest"];
export type EnrolmentRequest = S["EnrolmentRequest"];
export type EnrolmentView = S["EnrolmentView"];
export type NoteCreate = S["NoteCreate"];
export type Problem = S["ProblemModel"];
export type FieldError = S["FieldError"];
export type StaffMessage = S["StaffMessage"];
export type OutboundMessageView = S["OutboundMessageView"];
export type PatientLink = S["PatientLink"];
/** One patient's (or one unattached number's) texts, as the inbox lists them. */
export type Conversation = S["ConversationView"];

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
