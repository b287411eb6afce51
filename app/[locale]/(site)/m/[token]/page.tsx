// /m/<token>: the mute link of every organizer message (email footer and List-Unsubscribe, Telegram
// button). Public, no sign-in: the signed token names the organization and the person. Opening the link
// changes NOTHING (mail scanners follow links): it shows "Stop messages from <org>?" (describeMuteToken,
// a read); "Stop messages" is a POST (server action → muteByToken), then "Undo" (unmuteByToken). A token
// that is not ours (malformed, forged, its organization gone) → a clear not-found page. Never indexed.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MutePanel } from "@/components/messages/mute-panel";
import { isAppError } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { describeMuteToken } from "@/lib/messages";

type Props = { params: Promise<{ locale: string; token: string }> };

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("messages.mute.title"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function MutePage({ params }: Props) {
  const { token } = await params;
  let described;
  try {
    described = await describeMuteToken({ token });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <div className="mx-auto flex w-full max-w-md flex-1 flex-col gap-4 px-4 py-8 sm:py-12">
      <MutePanel token={token} organizationName={described.organizationName} initiallyMuted={described.muted} />
    </div>
  );
}
