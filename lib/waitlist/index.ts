// Public API of the waitlist area (see docs/registrations.md, "Waitlist").
import "server-only";

export {
  joinWaitlist,
  leaveWaitlist,
  getMyWaitlistEntry,
  claimWaitlistOffer,
  offerSeats,
  offerAvailableSeats,
  expireWaitlistOffers,
  waitlistClaimUrl,
  offerMinutesOf,
  waitlistErrors,
  type WaitlistPosition,
  listEventWaitlist,
  type WaitlistEntryView,
} from "./waitlist";
