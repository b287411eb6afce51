/** The profile photo, or the initials when there is none. */
export function Avatar({ url, name, alt, size = 64 }: { url: string | null; name: string; alt: string; size?: number }) {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]!.toUpperCase())
      .join("") || "?";
  if (url) {
    return (
      // Avatars come from any host (Telegram's CDN, later our media storage): a plain <img>, no optimizer.
      // eslint-disable-next-line @next/next/no-img-element
      <img src={url} alt={alt} width={size} height={size} className="shrink-0 rounded-full border border-slate-200 object-cover" style={{ width: size, height: size }} referrerPolicy="no-referrer" />
    );
  }
  return (
    <span
      aria-hidden="true"
      className="flex shrink-0 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-700"
      style={{ width: size, height: size, fontSize: size / 2.6 }}
    >
      {initials}
    </span>
  );
}
