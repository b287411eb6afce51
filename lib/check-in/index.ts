// Check-in (server side): scan, offline sync, manifest, counters, search, door-staff links.
// Design and contract: docs/check-in.md, lib/validation/check-in.ts.
export { checkIn, checkInByCode, syncScans } from "./check-in";
export { getCounters, listCheckIns, searchAttendees, ticketPublicKeySpki, SEARCH_LIMIT, type CheckInListItem, type CheckInKey } from "./reads";
export { getCompactManifest, getManifest, manifestResponse, type ManifestAnswer } from "./manifest";
export { createStaffLink, listStaffLinks, revokeStaffLink, redeemStaffToken, hashStaffToken, staffLinkUrl, type RedeemResult } from "./staff-links";
export { resolveCheckInAccess, isEventOpenForCheckIn, type CheckInPrincipal, type CheckInRateLimit, type DoorAccess, type CheckInAccess } from "./access";
export { doorCookieName, signDoorCookie, verifyDoorCookie, doorAccessFromCookieHeader } from "./door-cookie";
export { checkInRequest, limitCheckInNow, deviceIdOf, type CheckInCaller, type CheckInEdge } from "./caller";
