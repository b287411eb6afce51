// Public API of the registrations area (see docs/registrations.md).
import "server-only";

export { register, registerAsOrganizer, type RegisterInput, type RegisterAsOrganizerInput, type RegisterResult, type RegistrationStatusAfterSale } from "./register";
export {
  cancelMyRegistration,
  cancelGuestRegistration,
  cancelRegistrationAsOrganizer,
  cancelRegistrationInTransaction,
  previewMyCancellation,
  previewGuestCancellation,
  type CancelResult,
  type CancellationPreview,
} from "./cancel";
export { getEventAvailability, computeAvailability, type Availability, type AvailabilityCounts, type TicketTypeAvailability } from "./availability";
export { expireReservations, type ExpiryResult } from "./expiry";
export { deliverGuestTicketMail } from "./guest-ticket-mail";
export {
  REGISTRATION_TRANSITIONS,
  ACTIVE_REGISTRATION_STATUSES,
  canTransition,
  initialStatusFor,
  isActiveStatus,
  seatCounterOf,
} from "./transitions";
export { guestTokenFor, hashGuestToken, isTokenShaped } from "./tokens";
export { lateSale, type LateSaleRegistration } from "./late-sale";
export { registrationErrors } from "./shared";
export { REGISTRATION_SEARCH_TEXT, escapeLike, searchPattern } from "./search-sql";
