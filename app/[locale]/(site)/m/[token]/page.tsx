// /m/<token>: the mute link of every organizer message (email footer and List-Unsubscribe, Telegram
// button). Public, no sign-in: the signed token names the organization and the person. Opening the link
// changes NOTHING (mail scanners follow links); "Stop messages" is a POST (server action → muteByToken),
// then "Undo" (unmuteByToken). A token that is not ours → a clear not-found page. Never indexed.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MutePanel } from "@/components/messages/mute-panel";
import { getT } from "@/lib/i18n/server";

type Props = { params: Promise<{ locale: string; token: string }> };

export const dynamic = "force-dynamic";

/** The shape of a signed token (URL-safe, bounded); anything else cannot be one and is not found at once. */
const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{16,512}$/;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("messages.mute.title"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function MutePage({ params }: Props) {
  const { token } = await params;
  if (!TOKEN_SHAPE.test(token)) notFound();
  return (
    <div className="mx-auto flex w-full max-w-md flex-1 flex-col gap-4 px-4 py-8 sm:py-12">
      <MutePanel token={token} />
    </div>
  );
}
