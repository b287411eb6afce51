// Public API of the groups area (see lib/groups/groups.ts for the rules).
import "server-only";

export {
  createGroup,
  updateGroup,
  deleteGroup,
  regenerateGroupCode,
  removeGroupMember,
  listOrganizationGroups,
  getGroupDetails,
  previewGroupByCode,
  joinGroupByCode,
  leaveGroup,
  listMyGroups,
  isGroupMember,
  visibleGroupIdsForUser,
  groupJoinUrl,
  type GroupSummary,
  type OrganizationGroups,
  type GroupDetails,
  type GroupMemberRow,
  type GroupPreview,
  type JoinedGroup,
  type MyGroup,
} from "./groups";
