// Members and groups journeys on a phone: the owner invites a moderator by link and the invitee (a new
// user) signs up through it and lands in the organization as a moderator; the owner creates a group and
// people who are not in the organization join it — by code in "My groups", and by the join link while
// signed out (sign up, come back, joined).
//
// Each test makes its own owner and organization in the database (not the demo owner: the per-email
// sign-in limit is shared by every spec that signs in as owner@aqstream.example).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { PASSWORD, SLOW, expectNoHorizontalScroll, query, ru, signUpViaUi, tRu, uniqueEmail } from "./support";

// Several sign-ups (bcrypt cost 12) per test on a shared 2-core machine.
test.describe.configure({ timeout: 300_000 });

/** bcrypt (cost 4) of OWNER_PASSWORD, as in tests/helpers/factories.ts (fast to verify). */
const OWNER_PASSWORD = "test12345";
const OWNER_PASSWORD_HASH = "$2b$04$iN.CDpRUbdneIcrtbC07t.JEo1Hs1.53u1crCYZk5sDnRPnslKpzq";

function databaseUrl(): string {
  // tests/e2e/support.ts reads the same file; the owner and organization go in one transaction here
  // (the deferred "exactly one OWNER" trigger checks at commit).
  const file = process.env.E2E_STATE_FILE!;
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { databaseUrl: string }).databaseUrl;
}

async function createOwnerWithOrganization(name: string) {
  const owner = { id: randomUUID(), email: uniqueEmail("owner"), firstName: "Ольга", lastName: "Владелец" };
  const organization = { id: randomUUID(), name, slug: `e2e-${randomUUID().slice(0, 8)}` };
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("INSERT INTO users (id, email, password_hash, first_name, last_name, email_verified) VALUES ($1, $2, $3, $4, $5, true)", [
      owner.id,
      owner.email,
      OWNER_PASSWORD_HASH,
      owner.firstName,
      owner.lastName,
    ]);
    await client.query("INSERT INTO organizations (id, owner_id, name, slug) VALUES ($1, $2, $3, $4)", [organization.id, owner.id, organization.name, organization.slug]);
    await client.query("INSERT INTO organization_members (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'OWNER')", [randomUUID(), organization.id, owner.id]);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
  return { owner, organization };
}

/** A fresh signed-in page for the owner, opened at `path` (through /login?callbackUrl=…). */
async function signInOwner(browser: Browser, email: string, path: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/login?callbackUrl=${encodeURIComponent(path)}`);
  // (support.ts signInViaUi matches "Войти" loosely, which now also finds the Telegram sign-in buttons)
  await page.getByLabel(ru.auth.email, { exact: true }).fill(email);
  await page.getByLabel(ru.auth.password, { exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole("button", { name: ru.auth.submitLogin, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/]/g, "\\/")}$`), { timeout: SLOW });
  return page;
}

async function fillSignUp(page: Page, user: { firstName: string; email: string }) {
  await page.getByLabel(ru.auth.firstName, { exact: true }).fill(user.firstName);
  await page.getByLabel(ru.auth.email, { exact: true }).fill(user.email);
  await page.getByLabel(ru.auth.password, { exact: true }).fill(PASSWORD);
}

/** No sideways scrolling, then a full-page screenshot kept with the artifacts (generous timeout: shared CPU). */
async function shot(page: Page, testInfo: TestInfo, name: string) {
  await expectNoHorizontalScroll(page);
  // From the top: a full-page capture of a scrolled page draws the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 60_000 });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}


test("the owner invites a moderator by link; a new user signs up through it and lands as a member @phone-only", async ({ browser }, testInfo) => {
  const { owner, organization } = await createOwnerWithOrganization("Клуб любителей бега");
  const membersPath = `/dashboard/o/${organization.slug}/members`;
  const ownerPage = await signInOwner(browser, owner.email, membersPath);

  await expect(ownerPage.getByRole("heading", { level: 1, name: ru.members.title })).toBeVisible();
  await expect(ownerPage.getByTestId("member-row")).toHaveCount(1);
  await expect(ownerPage.getByTestId("members-empty")).toBeVisible();
  await expect(ownerPage.getByTestId("invites-empty")).toBeVisible();

  // A malformed Telegram note is refused on the field; a good one creates the invite.
  const note = ownerPage.getByLabel(ru.members.invite.telegramUsername);
  await note.fill("no spaces!");
  await ownerPage.getByTestId("create-invite").click();
  await expect(note).toHaveAttribute("aria-invalid", "true");
  await expect(note).toHaveAccessibleDescription(ru.members.validation.telegramUsernameInvalid);
  await note.fill("@new_moderator");
  await ownerPage.getByTestId("create-invite").click();
  const created = ownerPage.getByTestId("created-invite");
  await expect(created).toBeVisible({ timeout: SLOW });
  const inviteUrl = (await ownerPage.getByTestId("created-invite-web-url").textContent())!.trim();
  expect(inviteUrl).toMatch(/\/invite\/[a-z0-9]{32}$/);
  await expect(ownerPage.getByTestId("pending-invite")).toHaveCount(1);
  await expect(ownerPage.getByTestId("pending-invite")).toContainText(tRu("members.invite.forUser", { username: "new_moderator" }));
  // The QR code of the link opens on demand.
  const qrName = tRu("members.share.qrLabel", { label: ru.members.invite.webLink });
  await created.getByRole("button", { name: qrName }).click();
  await expect(created.getByRole("img", { name: qrName })).toBeVisible();
  // Telegram is configured on the e2e server (a fake Bot API): the bot deep link is offered too.
  await expect(ownerPage.getByTestId("created-invite-telegram-url")).toHaveText(/^https:\/\/t\.me\/\w+\?start=invite_[a-z0-9]{32}$/);
  await shot(ownerPage, testInfo, "members-invite-created-phone");

  // The invitee opens the link signed out: organization and role, then creates an account on the spot.
  const invitee = await (await browser.newContext()).newPage();
  const invitePath = new URL(inviteUrl).pathname;
  await invitee.goto(invitePath);
  await expect(invitee.getByRole("heading", { level: 1, name: tRu("members.accept.title", { organization: organization.name }) })).toBeVisible();
  await expect(invitee.getByTestId("invite-valid")).toContainText(ru.members.roleModerator);
  await expect(invitee.getByTestId("invite-sign-in")).toHaveAttribute("href", `/login?callbackUrl=${encodeURIComponent(invitePath)}`);
  await shot(invitee, testInfo, "invite-signed-out-phone");

  await invitee.getByTestId("invite-sign-up-link").click();
  await expect(invitee.getByRole("heading", { level: 1, name: ru.members.accept.signUpTitle })).toBeVisible();
  const email = uniqueEmail("invitee");
  await fillSignUp(invitee, { firstName: "Максим", email });
  await invitee.getByRole("button", { name: ru.members.accept.signUpSubmit }).click();

  // Lands in the organization as a moderator.
  await expect(invitee).toHaveURL(new RegExp(`/dashboard/o/${organization.slug}$`), { timeout: SLOW });
  await expect(invitee.getByTestId("organization-role")).toHaveText(ru.organizations.org.roleModerator);
  const [row] = await query<{ role: string; invited_by: string; used_by: string | null }>(
    `SELECT m.role, m.invited_by, i.used_by FROM organization_members m JOIN users u ON u.id = m.user_id
       JOIN organization_invites i ON i.organization_id = m.organization_id
      WHERE m.organization_id = $1 AND u.email = $2`,
    [organization.id, email],
  );
  expect(row).toMatchObject({ role: "MODERATOR", invited_by: owner.id });
  expect(row.used_by).not.toBeNull();
  await shot(invitee, testInfo, "invitee-landed-phone");

  // The new moderator sees the team but no owner controls.
  await invitee.goto(membersPath);
  await expect(invitee.getByTestId("member-row")).toHaveCount(2);
  await expect(invitee.getByTestId("create-invite")).toHaveCount(0);
  await expect(invitee.getByTestId("leave-organization")).toBeVisible();

  // The link is spent: opened again it says so (and to the member who used it: "already on the team").
  await invitee.goto(invitePath);
  await expect(invitee.getByTestId("invite-already-member")).toBeVisible();
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(invitePath);
  await expect(stranger.getByRole("heading", { level: 1, name: ru.members.accept.usedTitle })).toBeVisible();
  await expect(stranger.getByRole("link", { name: ru.members.accept.signInToCheck })).toHaveAttribute("href", `/login?callbackUrl=${encodeURIComponent(invitePath)}`);
  await shot(stranger, testInfo, "invite-used-phone");

  // The owner's page: two members with roles, no pending invites; transfer ownership needs a confirmation.
  await ownerPage.reload();
  await expect(ownerPage.getByTestId("member-row")).toHaveCount(2);
  const moderatorRow = ownerPage.getByTestId("member-row").filter({ hasText: "Максим" });
  await expect(moderatorRow).toContainText(ru.members.roleModerator);
  await expect(ownerPage.getByTestId("invites-empty")).toBeVisible();
  await moderatorRow.getByTestId("transfer-ownership").click();
  const dialog = ownerPage.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("confirm-transfer").click();
  await expect(dialog.getByText(ru.members.validation.confirmRequired)).toBeVisible();
  await shot(ownerPage, testInfo, "members-transfer-dialog-phone");
  await dialog.getByRole("button", { name: ru.members.cancel }).click();
  await expect(dialog).toBeHidden();
  const [org] = await query<{ owner_id: string }>("SELECT owner_id FROM organizations WHERE id = $1", [organization.id]);
  expect(org.owner_id).toBe(owner.id);
  await shot(ownerPage, testInfo, "members-list-phone");
});

test("the owner creates a group; an outsider joins it by code (lower case) and leaves with one tap @phone-only", async ({ browser }, testInfo) => {
  const { owner, organization } = await createOwnerWithOrganization("Шахматный клуб");
  const groupsPath = `/dashboard/o/${organization.slug}/groups`;
  const ownerPage = await signInOwner(browser, owner.email, groupsPath);

  await expect(ownerPage.getByTestId("groups-empty")).toBeVisible();
  // Too short a name: a field error, nothing created.
  await ownerPage.getByLabel(ru.groups.name).fill("Я");
  await ownerPage.getByTestId("create-group").click();
  await expect(ownerPage.getByLabel(ru.groups.name)).toHaveAccessibleDescription(ru.groups.validation.nameTooShort);
  await ownerPage.getByLabel(ru.groups.name).fill("Блиц по четвергам");
  await ownerPage.getByLabel(ru.groups.description).fill("Быстрые партии, 5 минут на игрока.");
  await shot(ownerPage, testInfo, "groups-create-phone");
  await ownerPage.getByTestId("create-group").click();

  await expect(ownerPage).toHaveURL(new RegExp(`${groupsPath}/[0-9a-f-]{36}$`), { timeout: SLOW });
  await expect(ownerPage.getByRole("heading", { level: 1, name: "Блиц по четвергам" })).toBeVisible();
  const code = (await ownerPage.getByTestId("group-code").textContent())!.trim();
  expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
  await expect(ownerPage.getByTestId("group-member")).toHaveCount(1); // the creator
  await shot(ownerPage, testInfo, "group-detail-phone");

  // An outsider (a new user in no organization) joins with the code typed in lower case.
  const outsider = await (await browser.newContext()).newPage();
  await signUpViaUi(outsider, { email: uniqueEmail("outsider"), firstName: "Пётр" });
  await outsider.goto("/dashboard/groups");
  await expect(outsider.getByTestId("my-groups-empty")).toBeVisible();
  const field = outsider.getByLabel(ru.groups.my.codeField);
  await field.fill("ZZZZ2222");
  await outsider.getByTestId("join-group").click();
  await expect(field).toHaveAccessibleDescription(ru.groups.errors.codeNotFound, { timeout: SLOW });
  await field.fill(code.toLowerCase());
  await outsider.getByTestId("join-group").click();
  await expect(outsider.getByRole("status").filter({ hasText: tRu("groups.my.joined", { name: "Блиц по четвергам" }) })).toBeVisible({ timeout: SLOW });
  await expect(outsider.getByTestId("my-group")).toHaveCount(1);
  await expect(outsider.getByTestId("my-group")).toContainText(organization.name);
  await shot(outsider, testInfo, "my-groups-joined-phone");

  // The owner sees the new member.
  await ownerPage.reload();
  await expect(ownerPage.getByTestId("group-member")).toHaveCount(2);
  await expect(ownerPage.getByTestId("group-members")).toContainText("Пётр");

  // Leave: one tap.
  await outsider.getByTestId("leave-group").click();
  await expect(outsider.getByTestId("my-groups-empty")).toBeVisible({ timeout: SLOW });
  const rows = await query("SELECT 1 FROM group_members gm JOIN users u ON u.id = gm.user_id WHERE u.first_name = 'Пётр' AND gm.group_id IN (SELECT id FROM groups WHERE organization_id = $1)", [
    organization.id,
  ]);
  expect(rows).toHaveLength(0);
});

test("a signed-out person opens a group's join link, signs up on the spot and is in the group @phone-only", async ({ browser }, testInfo) => {
  const { owner, organization } = await createOwnerWithOrganization("Книжный клуб");
  const ownerPage = await signInOwner(browser, owner.email, `/dashboard/o/${organization.slug}/groups`);
  await ownerPage.getByLabel(ru.groups.name).fill("Читаем вместе");
  await ownerPage.getByTestId("create-group").click();
  await expect(ownerPage.getByTestId("group-code")).toBeVisible({ timeout: SLOW });
  const joinUrl = (await ownerPage.getByTestId("group-link-url").textContent())!.trim();
  const joinPath = new URL(joinUrl).pathname;
  await ownerPage.context().close();

  const visitor = await (await browser.newContext()).newPage();
  // The code in the link is case-insensitive.
  await visitor.goto(joinPath.toLowerCase());
  await expect(visitor.getByRole("heading", { level: 1, name: tRu("groups.join.title", { name: "Читаем вместе" }) })).toBeVisible();
  await expect(visitor.getByTestId("group-sign-in")).toHaveAttribute("href", `/login?callbackUrl=${encodeURIComponent(joinPath)}`);
  await shot(visitor, testInfo, "group-join-signed-out-phone");
  await visitor.getByTestId("group-sign-up-link").click();
  await fillSignUp(visitor, { firstName: "Вера", email: uniqueEmail("reader") });
  await visitor.getByRole("button", { name: ru.groups.join.signUpSubmit }).click();

  await expect(visitor).toHaveURL(/\/dashboard\/groups\?joined=/, { timeout: SLOW });
  await expect(visitor.getByText(tRu("groups.my.joined", { name: "Читаем вместе" }))).toBeVisible();
  await expect(visitor.getByTestId("my-group")).toHaveCount(1);
  await shot(visitor, testInfo, "group-joined-by-link-phone");

  // Opened again: "already in this group".
  await visitor.goto(joinPath);
  await expect(visitor.getByTestId("group-already-member")).toBeVisible();
  // An unknown code: says so and offers to enter a code.
  await visitor.goto("/g/ZZZZ2222");
  await expect(visitor.getByRole("heading", { level: 1, name: ru.groups.join.invalidTitle })).toBeVisible();
});
