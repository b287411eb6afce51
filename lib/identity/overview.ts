// What the dashboard home shows about the signed-in user: platform role and organization memberships.
import "server-only";
import { db, type DbClient } from "@/lib/db";
import type { OrganizationRole } from "@/lib/generated/prisma/enums";

export type MembershipSummary = {
  organizationId: string;
  name: string;
  slug: string;
  role: OrganizationRole;
  joinedAt: Date;
};

export type UserOverview = { isPlatformAdmin: boolean; memberships: MembershipSummary[] };

export async function getUserOverview({ userId }: { userId: string }, tx: DbClient = db): Promise<UserOverview> {
  const user = await tx.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: {
      isPlatformAdmin: true,
      memberships: {
        where: { organization: { deletedAt: null } },
        orderBy: [{ joinedAt: "asc" }],
        select: { role: true, joinedAt: true, organization: { select: { id: true, name: true, slug: true } } },
      },
    },
  });
  if (!user) return { isPlatformAdmin: false, memberships: [] };
  return {
    isPlatformAdmin: user.isPlatformAdmin,
    memberships: user.memberships.map((m) => ({
      organizationId: m.organization.id,
      name: m.organization.name,
      slug: m.organization.slug,
      role: m.role,
      joinedAt: m.joinedAt,
    })),
  };
}
