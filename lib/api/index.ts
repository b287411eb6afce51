// The api area's server API (docs/api.md): API tokens. The edge (lib/http/api-route.ts), the token
// pages' server actions and the tests import it; pure modules (scopes.ts, operation.ts, pagination.ts)
// are imported directly.
import "server-only";

export {
  actorOfPrincipal,
  authenticateApiToken,
  createOrganizationToken,
  createPersonalToken,
  listOrganizationTokens,
  listPersonalTokens,
  revokeApiToken,
  type ApiAuthentication,
  type ApiTokenRecord,
} from "./tokens";
